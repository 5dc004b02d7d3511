/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ferry-storage-page"

#include "config.h"

#include <glib/gi18n.h>

#include "ferry-client-transfers.h"
#include "ferry-storage-page.h"
#include "ferry-storage-usage.h"
#include "ferry-task-format.h"

#define UI_PREFIX "/io/github/ferrysync/Ferry/ui/"
#define OWNER_KEY "ferry-owner"
#define CLEAN_UP_KEY "ferry-clean-up"

/**
 * FerryStoragePage:
 *
 * The Storage page of Preferences: the quota per app (bound to
 * storage-quota, shown in megabytes), and each app's use of Ferry's
 * storage from GetStorageUsage, with Clean Up, which removes the app's
 * downloaded files once the person confirms.
 */
struct _FerryStoragePage
{
  AdwPreferencesPage parent_instance;

  /* owned */
  FerryClient *client;
  GSettings *settings;
  GCancellable *cancellable;
  GPtrArray *rows;              /* AdwActionRow, one per app (owned by the group) */

  /* template children */
  GtkSpinButton *quota_spin;
  AdwPreferencesGroup *usage_group;
  AdwActionRow *empty_row;

  /* state */
  gboolean loaded;
};

G_DEFINE_FINAL_TYPE (FerryStoragePage, ferry_storage_page, ADW_TYPE_PREFERENCES_PAGE)

typedef struct
{
  FerryStoragePage *self;
  char             *owner;
} CleanUp;

static void
clean_up_free (CleanUp *clean_up)
{
  g_object_unref (clean_up->self);
  g_free (clean_up->owner);
  g_free (clean_up);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CleanUp, clean_up_free)

static void on_clean_up_clicked (GtkButton *button,
                                 gpointer   user_data);

static gboolean
get_megabytes (GValue   *value,
               GVariant *variant,
               gpointer  user_data)
{
  g_value_set_double (value, g_variant_get_uint64 (variant) / 1e6);
  return TRUE;
}

static GVariant *
set_megabytes (const GValue       *value,
               const GVariantType *type,
               gpointer            user_data)
{
  return g_variant_new_uint64 ((guint64) (g_value_get_double (value) * 1e6 + 0.5));
}

static void
show_toast (FerryStoragePage *self,
            const char       *text)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (ADW_IS_PREFERENCES_WINDOW (root))
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (root), adw_toast_new (text));
}

static void
clear_rows (FerryStoragePage *self)
{
  for (guint i = 0; i < self->rows->len; i++)
    adw_preferences_group_remove (self->usage_group, g_ptr_array_index (self->rows, i));
  g_ptr_array_set_size (self->rows, 0);
}

static GtkWidget *
usage_row (FerryStoragePage  *self,
           FerryStorageUsage *usage)
{
  const char *owner = ferry_storage_usage_get_owner (usage);
  guint64 files = ferry_storage_usage_get_files (usage);
  g_autofree char *name = NULL;
  g_autoptr(GIcon) icon = NULL;
  g_autofree char *bytes = g_format_size (ferry_storage_usage_get_bytes (usage));
  g_autofree char *quota = g_format_size (ferry_storage_usage_get_quota (usage));
  g_autofree char *files_text = NULL;
  g_autofree char *subtitle = NULL;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *button;

  ferry_lookup_app (owner, &name, &icon);
  files_text = g_strdup_printf (ngettext ("%u file", "%u files", (gulong) files), (guint) files);
  /* Translators: an app's use of Ferry's storage: "12.0 MB in 3 files, of 100.0 MB" */
  subtitle = g_strdup_printf (_("%s in %s, of %s"), bytes, files_text, quota);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), gtk_image_new_from_gicon (icon));
  g_object_set_data_full (G_OBJECT (row), OWNER_KEY, g_strdup (owner), g_free);

  button = gtk_button_new_with_mnemonic (_("_Clean Up"));
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, _("Remove this app’s downloaded files"));
  gtk_widget_set_sensitive (button, files > 0);
  g_signal_connect_object (button, "clicked", G_CALLBACK (on_clean_up_clicked), self, 0);
  g_object_set_data_full (G_OBJECT (button), OWNER_KEY, g_strdup (owner), g_free);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  return row;
}

static void
usage_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  FerryStoragePage *self;
  g_autoptr(GPtrArray) usage = NULL;
  g_autoptr(GError) error = NULL;

  usage = ferry_client_get_storage_usage_finish (FERRY_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = user_data;
  clear_rows (self);
  if (usage == NULL)
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->empty_row),
                                     _("Could not read how much storage apps use"));
      adw_action_row_set_subtitle (self->empty_row, error->message);
    }
  else
    {
      for (guint i = 0; i < usage->len; i++)
        {
          GtkWidget *row = usage_row (self, g_ptr_array_index (usage, i));

          adw_preferences_group_add (self->usage_group, row);
          g_ptr_array_add (self->rows, row);
        }
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->empty_row),
                                     _("No app keeps files in Ferry"));
      adw_action_row_set_subtitle (self->empty_row, "");
    }
  gtk_widget_set_visible (GTK_WIDGET (self->empty_row), self->rows->len == 0);
  self->loaded = TRUE;
}

static void
remove_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(CleanUp) clean_up = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  guint removed = 0;

  if (!ferry_client_remove_files_finish (FERRY_CLIENT (object), result, &removed, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* Translators: why Clean Up failed */
      text = g_strdup_printf (_("Could not clean up: %s"), error->message);
    }
  else
    text = g_strdup_printf (ngettext ("Removed %u file", "Removed %u files", removed), removed);
  show_toast (clean_up->self, text);
  ferry_storage_page_reload (clean_up->self);
}

static void
on_dialog_response (AdwMessageDialog *dialog,
                    const char       *response,
                    gpointer          user_data)
{
  g_autoptr(CleanUp) clean_up = g_object_steal_data (G_OBJECT (dialog), CLEAN_UP_KEY);
  FerryStoragePage *self;
  const char *owner;

  if (clean_up == NULL)
    return;
  self = clean_up->self;
  owner = clean_up->owner;
  if (g_strcmp0 (response, "remove") != 0 || self->client == NULL)
    return;
  ferry_client_remove_files_async (self->client, owner, NULL, self->cancellable, remove_cb,
                                   g_steal_pointer (&clean_up));
}

static void
on_clean_up_clicked (GtkButton *button,
                     gpointer   user_data)
{
  FerryStoragePage *self = user_data;
  const char *owner = g_object_get_data (G_OBJECT (button), OWNER_KEY);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autofree char *name = NULL;
  g_autoptr(GIcon) icon = NULL;
  g_autofree char *heading = NULL;
  GtkWidget *dialog;
  CleanUp *clean_up;

  ferry_lookup_app (owner, &name, &icon);
  /* Translators: %s is an app's name */
  heading = g_strdup_printf (_("Remove the Files of %s?"), name);
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading,
                                   _("Its downloaded files are removed from this computer; "
                                     "the app may download them again. Downloads in progress "
                                     "and waiting uploads stay."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "remove", _("_Remove"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "remove",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  clean_up = g_new0 (CleanUp, 1);
  clean_up->self = g_object_ref (self);
  clean_up->owner = g_strdup (owner);
  /* The dialog holds it: a dialog closed without an answer frees it too. */
  g_object_set_data_full (G_OBJECT (dialog), CLEAN_UP_KEY, clean_up,
                          (GDestroyNotify) clean_up_free);
  g_signal_connect (dialog, "response", G_CALLBACK (on_dialog_response), NULL);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
ferry_storage_page_dispose (GObject *object)
{
  FerryStoragePage *self = FERRY_STORAGE_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->client);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (ferry_storage_page_parent_class)->dispose (object);
}

static void
ferry_storage_page_finalize (GObject *object)
{
  FerryStoragePage *self = FERRY_STORAGE_PAGE (object);

  g_clear_object (&self->cancellable);
  g_ptr_array_unref (self->rows);

  G_OBJECT_CLASS (ferry_storage_page_parent_class)->finalize (object);
}

static void
ferry_storage_page_class_init (FerryStoragePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ferry_storage_page_dispose;
  object_class->finalize = ferry_storage_page_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, UI_PREFIX "ferry-storage-page.ui");
  gtk_widget_class_bind_template_child (widget_class, FerryStoragePage, quota_spin);
  gtk_widget_class_bind_template_child (widget_class, FerryStoragePage, usage_group);
  gtk_widget_class_bind_template_child (widget_class, FerryStoragePage, empty_row);
}

static void
ferry_storage_page_init (FerryStoragePage *self)
{
  self->cancellable = g_cancellable_new ();
  self->rows = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * ferry_storage_page_new:
 * @client: the client whose agent's storage to show
 * @settings: (nullable): io.github.ferrysync.Ferry, for the quota
 *
 * Returns: (transfer full): a new page, loading the use by app
 */
GtkWidget *
ferry_storage_page_new (FerryClient *client,
                        GSettings   *settings)
{
  FerryStoragePage *self;

  g_return_val_if_fail (FERRY_IS_CLIENT (client), NULL);
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  self = g_object_new (FERRY_TYPE_STORAGE_PAGE, NULL);
  self->client = g_object_ref (client);
  if (settings != NULL)
    {
      self->settings = g_object_ref (settings);
      g_settings_bind_with_mapping (settings, "storage-quota",
                                    gtk_spin_button_get_adjustment (self->quota_spin), "value",
                                    G_SETTINGS_BIND_DEFAULT, get_megabytes, set_megabytes,
                                    NULL, NULL);
    }
  else
    gtk_widget_set_sensitive (GTK_WIDGET (self->quota_spin), FALSE);
  ferry_storage_page_reload (self);
  return GTK_WIDGET (self);
}

/**
 * ferry_storage_page_reload:
 * @self: a page
 *
 * Asks the agent for the use by app again.
 */
void
ferry_storage_page_reload (FerryStoragePage *self)
{
  g_return_if_fail (FERRY_IS_STORAGE_PAGE (self));

  if (self->client == NULL)
    return;
  self->loaded = FALSE;
  ferry_client_get_storage_usage_async (self->client, self->cancellable, usage_cb, self);
}

/**
 * ferry_storage_page_find_row:
 * @self: a page
 * @owner: an app id
 *
 * Returns: (transfer none) (nullable): the row of @owner's use, when shown
 */
AdwActionRow *
ferry_storage_page_find_row (FerryStoragePage *self,
                             const char       *owner)
{
  g_return_val_if_fail (FERRY_IS_STORAGE_PAGE (self), NULL);

  for (guint i = 0; i < self->rows->len; i++)
    {
      AdwActionRow *row = g_ptr_array_index (self->rows, i);

      if (g_strcmp0 (g_object_get_data (G_OBJECT (row), OWNER_KEY), owner) == 0)
        return row;
    }
  return NULL;
}

/**
 * ferry_storage_page_get_loaded:
 * @self: a page
 *
 * Returns: whether the last listing arrived
 */
gboolean
ferry_storage_page_get_loaded (FerryStoragePage *self)
{
  g_return_val_if_fail (FERRY_IS_STORAGE_PAGE (self), FALSE);
  return self->loaded;
}
