//! Choosing a file or a folder with the platform's own dialog (rfd: the XDG desktop portal or
//! zenity on Linux, the system dialogs on Windows and macOS). Every path can also be typed: on a
//! machine with no dialog to show, "選ぶ…" finds nothing and the field is still there. The dialog
//! runs off the window's thread (it blocks until the person chooses), except on macOS, where
//! AppKit wants it on the main thread. Tests put a [`Picker`] of their own in its place: a native
//! dialog cannot be driven without a desktop.

use std::path::PathBuf;

/// What a path is chosen for: the field it goes into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PickFor {
    HubCa,
    SigningChain,
    TrustAnchors,
    TerminalP12,
    BackupFolder,
    /// Where a one-off backup is written.
    BackupFile,
    /// Where a copy of the printed PDF is saved.
    SavePdf,
    /// The backup to restore.
    RestoreFile,
    /// A CSV file that 医見書 wrote, to import.
    IkensyoCsv,
    /// Where 医見書's CSV of the opinion shown is written.
    SaveCsv,
    /// The clinic server's CA certificate, at the first start (before anyone signs in).
    ServerCa,
}

/// The kind of dialog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PickKind {
    /// An existing file, with its filter (a name and extensions).
    Open {
        filter: (&'static str, &'static [&'static str]),
    },
    /// A folder.
    Folder,
    /// A new file, proposed under `name`.
    Save { name: String },
}

impl PickFor {
    /// The dialog that chooses it.
    pub fn kind(self) -> PickKind {
        match self {
            PickFor::HubCa | PickFor::SigningChain | PickFor::TrustAnchors | PickFor::ServerCa => {
                PickKind::Open {
                    filter: ("PEM", &["pem", "crt", "cer"]),
                }
            }
            PickFor::TerminalP12 => PickKind::Open {
                filter: ("PKCS#12", &["p12", "pfx"]),
            },
            PickFor::BackupFolder => PickKind::Folder,
            PickFor::RestoreFile => PickKind::Open {
                filter: ("ikensho", &["sqlite"]),
            },
            // The window proposes 医見書's name for it (`IkenshoApp::csv_file_name`).
            PickFor::SaveCsv => PickKind::Save {
                name: "ikensho.csv".to_owned(),
            },
            PickFor::IkensyoCsv => PickKind::Open {
                filter: ("CSV", &["csv", "CSV"]),
            },
            PickFor::BackupFile => PickKind::Save {
                name: "ikensho-backup.sqlite".to_owned(),
            },
            PickFor::SavePdf => PickKind::Save {
                name: "ikensho.pdf".to_owned(),
            },
        }
    }
}

/// Shows a dialog and returns the path chosen (`None`: cancelled, or no dialog to show).
pub trait Picker: Send + Sync {
    fn pick(&self, kind: &PickKind, title: &str) -> Option<PathBuf>;
}

/// The platform's own dialogs.
#[derive(Debug, Default, Clone, Copy)]
pub struct NativePicker;

impl Picker for NativePicker {
    fn pick(&self, kind: &PickKind, title: &str) -> Option<PathBuf> {
        let dialog = rfd::FileDialog::new().set_title(title);
        match kind {
            PickKind::Open { filter } => dialog.add_filter(filter.0, filter.1).pick_file(),
            PickKind::Folder => dialog.pick_folder(),
            PickKind::Save { name } => dialog.set_file_name(name).save_file(),
        }
    }
}

/// Whether the dialog must be shown on the window's thread (macOS).
pub const ON_MAIN_THREAD: bool = cfg!(target_os = "macos");

impl super::IkenshoApp {
    /// Shows the dialog for `what` (on a thread, or here on macOS).
    pub(crate) fn pick(&mut self, what: PickFor) {
        let title = self.t(match what {
            PickFor::HubCa => "app-hub-ca",
            PickFor::SigningChain => "app-signing-chain",
            PickFor::TrustAnchors => "app-trust-anchors",
            PickFor::TerminalP12 => "app-p12-path",
            PickFor::BackupFolder => "app-backup-folder",
            PickFor::BackupFile => "app-backup-path",
            PickFor::SavePdf => "app-save-pdf-as",
            PickFor::RestoreFile => "app-restore-file",
            PickFor::IkensyoCsv => "app-import-file",
            PickFor::SaveCsv => "app-export-csv",
            PickFor::ServerCa => "app-first-server-ca",
        });
        let kind = match what {
            PickFor::SaveCsv => PickKind::Save {
                name: self.csv_file_name(),
            },
            _ => what.kind(),
        };
        if ON_MAIN_THREAD {
            let path = self.worker.services.picker.pick(&kind, &title);
            return self.picked(what, path);
        }
        if let Some(s) = &self.session {
            self.worker
                .start(s, super::work::Job::Pick { what, kind, title });
        }
    }

    /// The path chosen goes into its field (a PDF is copied there at once).
    pub(crate) fn picked(&mut self, what: PickFor, path: Option<PathBuf>) {
        let Some(path) = path else {
            return;
        };
        let text = path.display().to_string();
        let s = &mut self.settings;
        match what {
            PickFor::HubCa => s.hub_ca_path = text,
            PickFor::SigningChain => s.chain_path = text,
            PickFor::TrustAnchors => s.anchors_path = text,
            PickFor::TerminalP12 => s.p12_path = text,
            PickFor::BackupFolder => s.backup_folder = text,
            PickFor::BackupFile => s.backup_path = text,
            PickFor::SavePdf => self.save_pdf_as(path),
            PickFor::RestoreFile => s.restore.path = text,
            PickFor::IkensyoCsv => s.import.path = text,
            PickFor::SaveCsv => self.export_csv(path),
            // Chosen on the first start's screen, which picks for itself.
            PickFor::ServerCa => {}
        }
    }

    /// Copies the printed PDF to `dest` (the copy in the data folder stays).
    fn save_pdf_as(&mut self, dest: PathBuf) {
        let Some(Ok(printed)) = &self.paper.printed else {
            return;
        };
        self.paper.saved_as = Some(
            crate::files::copy_private(&printed.path, &dest)
                .map(|()| dest.clone())
                .map_err(|error| super::problem::Problem::Io { path: dest, error }),
        );
    }
}
