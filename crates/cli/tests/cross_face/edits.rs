//! Editing a manifest (`manifest grant/revoke` in the CLI, the Permissions
//! screen's `apply_edit_and_save` in the desktop): the same edits on the same
//! file write the same bytes, and a refused edit is refused by both with the
//! same code and nothing written.

use appdeck_core::manifest::edit::ManifestEdit;
use appdeck_shell::commands::manifest::{apply_edit_and_save, load_manifest};
use serde_json::{json, Value};

use crate::sandbox::Env;
use crate::support::{arg, cli, cli_json, rt};

/// Two projects holding the same bytes: one for each face.
fn twins() -> (Env, Env) {
    let (by_cli, by_shell) = (Env::new(), Env::new());
    std::fs::copy(by_cli.manifest(), by_shell.manifest()).unwrap();
    (by_cli, by_shell)
}

/// The shell's edit, as the Permissions screen sends it (the revision it read).
fn shell_edit(env: &Env, edit: Value) -> Result<(), String> {
    let path = env.manifest().display().to_string();
    rt().block_on(async {
        let read = load_manifest(path.clone()).await.unwrap();
        let edit: ManifestEdit = arg(edit);
        apply_edit_and_save(path, read.document.revision, edit)
            .await
            .map(|_| ())
            .map_err(|e| e.code.as_str().to_string())
    })
}

fn bytes(env: &Env) -> String {
    std::fs::read_to_string(env.manifest()).unwrap()
}

#[test]
fn grants_and_revokes_write_the_same_bytes_through_both_faces() {
    let (by_cli, by_shell) = twins();
    let before = bytes(&by_cli);
    let steps: [(&[&str], Value); 4] = [
        (
            &[
                "manifest",
                "grant",
                "permission",
                "customer_write",
                "Creates customers for new sign-ups.",
            ],
            json!({"kind": "grant-permission", "permission": "customer_write", "purpose": "Creates customers for new sign-ups."}),
        ),
        (
            &[
                "manifest",
                "grant",
                "url",
                "https://api.example.com/v2/",
                "Reads the plan from the app's backend.",
            ],
            json!({"kind": "grant-connect-src", "url": "https://api.example.com/v2/", "purpose": "Reads the plan from the app's backend."}),
        ),
        (
            &["manifest", "revoke", "permission", "customer_write"],
            json!({"kind": "revoke-permission", "permission": "customer_write"}),
        ),
        (
            &[
                "manifest",
                "revoke",
                "connect-src",
                "https://api.example.com/v2/",
            ],
            json!({"kind": "revoke-connect-src", "url": "https://api.example.com/v2/"}),
        ),
    ];
    for (args, edit) in steps {
        let (code, _) = cli(&by_cli, args);
        assert_eq!(code, 0, "appdeck {args:?}");
        shell_edit(&by_shell, edit.clone()).unwrap_or_else(|c| panic!("{edit}: {c}"));
        assert_eq!(
            bytes(&by_cli),
            bytes(&by_shell),
            "after {args:?} the two files differ"
        );
    }
    assert_ne!(before, bytes(&by_cli), "the edits changed the file");
}

#[test]
fn an_edit_that_does_not_apply_is_refused_by_both_with_one_code_and_nothing_written() {
    let (by_cli, by_shell) = twins();
    let before = bytes(&by_cli);
    let (code, out) = cli_json(
        &by_cli,
        &[
            "manifest",
            "revoke",
            "permission",
            "invoice_write",
            "--json",
        ],
    );
    assert_eq!(code, 1);
    let refused = shell_edit(
        &by_shell,
        json!({"kind": "revoke-permission", "permission": "invoice_write"}),
    )
    .unwrap_err();
    assert_eq!(out["ok"], false, "{out}");
    assert_eq!(out["error"]["code"], refused.as_str(), "{out}");
    assert_eq!(bytes(&by_cli), before);
    assert_eq!(bytes(&by_shell), before);
}
