#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Renders the D-Bus interface reference from its one definition,
data/io.github.ferrysync.Ferry1.xml, as a Markdown page of the API
reference: every interface, method, property and signal with its
signature and its comment.

The comments are written for people reading the XML: paragraphs, and
tables kept aligned by indentation.  A block indented deeper than the text
around it is a table and becomes a code block here, so it stays aligned;
gdbus-codegen's own reStructuredText and DocBook output strips that
indentation.

Usage: dbus-reference.py INTERFACE.xml OUTPUT.md
"""

import re
import sys
import xml.etree.ElementTree as ElementTree


def indent_of(line):
    return len(line) - len(line.lstrip(' '))


def dedent(lines):
    widths = [indent_of(l) for l in lines if l.strip()]
    base = min(widths) if widths else 0
    return [l[base:] if l.strip() else '' for l in lines]


def inline(text):
    """@name → `name`; %TRUE → `TRUE`."""
    text = re.sub(r'@([A-Za-z0-9_]+)', r'`\1`', text)
    return re.sub(r'%([A-Za-z0-9_]+)', r'`\1`', text)


def render_blocks(lines, text_indent):
    """Paragraphs at @text_indent or less; deeper blocks as code."""
    out = []
    block = []

    def flush():
        if not block:
            return
        if min(indent_of(l) for l in block) > text_indent:
            out.append('```\n' + '\n'.join(dedent(block)) + '\n```')
        else:
            out.append(inline(' '.join(l.strip() for l in block)))
        block.clear()

    for line in lines:
        if not line.strip():
            flush()
        elif block and indent_of(line) > text_indent >= min(indent_of(l) for l in block):
            # A table right under its introducing line.
            flush()
            block.append(line)
        else:
            block.append(line)
    flush()
    return out


def parse_comment(text):
    """(params: [(name, [lines])], body: [lines]) of a gtk-doc style comment."""
    lines = dedent(text.strip('\n').split('\n'))
    while lines and not lines[0].strip():
        lines.pop(0)
    if lines and re.match(r'^[\w.]+:', lines[0]):
        first = lines.pop(0)
        rest = first.split(':', 1)[1].strip()
        if rest:
            lines.insert(0, rest)
    params = []
    body = []
    i = 0
    while i < len(lines):
        line = lines[i]
        match = re.match(r'^@(\w+):\s?(.*)$', line)
        if match and not body:
            param_lines = [' ' * 2 + match.group(2)] if match.group(2) else []
            i += 1
            while i < len(lines):
                nxt = lines[i]
                if nxt.strip() and indent_of(nxt) == 0:
                    break
                if not nxt.strip():
                    # A blank line ends the parameter unless more of it follows.
                    later = next((l for l in lines[i:] if l.strip()), '')
                    if not later or indent_of(later) == 0:
                        break
                param_lines.append(nxt)
                i += 1
            params.append((match.group(1), param_lines))
            continue
        body.append(line)
        i += 1
    return params, body


def comments_before(parent):
    """Maps each child element of @parent to the comment right before it."""
    found = {}
    last = None
    for child in parent:
        if child.tag is ElementTree.Comment:
            last = child.text
        else:
            found[child] = last
            last = None
    return found


def signature(element, with_direction):
    args = []
    for arg in element.findall('arg'):
        direction = arg.get('direction', 'in' if with_direction else '')
        prefix = f'{direction.upper()} ' if with_direction else ''
        args.append(f"{prefix}{arg.get('type')} {arg.get('name')}")
    return f"{element.get('name')} ({', '.join(args)})"


def render_member(kind, element, comment, out):
    name = element.get('name')
    out.append(f'### {name}')
    out.append('')
    if kind == 'property':
        out.append(f"```\n{name}  {element.get('type')}  {element.get('access')}\n```")
    else:
        out.append(f'```\n{signature(element, kind == "method")}\n```')
    out.append('')
    params, body = parse_comment(comment or '')
    for pname, plines in params:
        blocks = render_blocks(plines, 2)
        if blocks:
            out.append(f'**`{pname}`**: ' + blocks[0])
            for block in blocks[1:]:
                out.append('')
                out.append(block)
            out.append('')
    out.extend(b + '\n' for b in render_blocks(body, 0))


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    parser = ElementTree.XMLParser(target=ElementTree.TreeBuilder(insert_comments=True))
    root = ElementTree.parse(sys.argv[1], parser).getroot()

    out = [
        'Title: The D-Bus interface',
        'Slug: dbus',
        '',
        '# The D-Bus interface',
        '',
        'libferry-1 wraps this interface; an app in any language, or a shell '
        'script, can also call it directly.  The agent owns the name '
        '`io.github.ferrysync.Ferry.Agent` on the session bus and serves the '
        'interfaces below at `/io/github/ferrysync/Ferry`; it is started by '
        'D-Bus activation on the first call.  This page is rendered from '
        '`io.github.ferrysync.Ferry1.xml`, installed in '
        '`$datadir/dbus-1/interfaces/`.',
        '',
    ]
    top = comments_before(root)
    for interface in root.findall('interface'):
        name = interface.get('name')
        params, body = parse_comment(top.get(interface) or '')
        short = dict(params).get('short_description', [])
        out.append(f'## {name}')
        out.append('')
        if short:
            out.append('*' + ' '.join(l.strip() for l in short) + '*')
            out.append('')
        out.extend(b + '\n' for b in render_blocks(body, 0))
        members = comments_before(interface)
        for kind, title in (('method', 'Methods'), ('property', 'Properties'),
                            ('signal', 'Signals')):
            elements = interface.findall(kind)
            if not elements:
                continue
            out.append(f'## {name}: {title.lower()}')
            out.append('')
            for element in elements:
                render_member(kind, element, members.get(element), out)
    with open(sys.argv[2], 'w', encoding='utf-8') as f:
        f.write('\n'.join(out).rstrip() + '\n')
    return 0


if __name__ == '__main__':
    sys.exit(main())
