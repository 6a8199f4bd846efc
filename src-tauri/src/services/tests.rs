//! The services' tests: the store choice, sealed sandbox data and its
//! moving aside, another project's registration, exact redirect matching.

use std::path::{Path, PathBuf};

use super::*;
use appdeck_core::accounts;
use appdeck_core::keychain::NoStore;
use appdeck_core::secret::ApiKey;
use appdeck_core::status::SandboxState;

fn no_browser() -> Opener {
    Arc::new(|_: &str| Ok(()))
}

#[test]
fn without_a_chosen_store_secrets_are_refused_until_the_user_picks_session_memory() {
    tauri::async_runtime::block_on(async {
        let dir = tempfile::tempdir().unwrap();
        let store: Arc<dyn SecretStore> =
            Arc::new(NoStore::new("no Secret Service on the session bus"));
        let svc = Services::start_with_store(
            dir.path().join("config"),
            &dir.path().join("missing"),
            store,
            no_browser(),
        )
        .await;
        let status = svc.sandbox_status();
        assert_eq!(status.state, SandboxState::Running);
        assert!(status.app_id.is_none());
        assert!(
            status
                .message
                .as_deref()
                .unwrap_or("")
                .contains("no app is registered"),
            "the status says why no app: {status:?}"
        );
        let names: Vec<String> = accounts::list(&svc.context())
            .unwrap()
            .accounts
            .into_iter()
            .map(|a| a.name)
            .collect();
        assert_eq!(names, ["local"], "the local account needs no store");

        let add = |svc: &Services| {
            let ctx = svc.context();
            async move {
                let skip = accounts::AddOptions {
                    skip_check: true,
                    ..Default::default()
                };
                accounts::add(&ctx, "qa", ApiKey::new("sk_test_0123456789abcdef"), &skip).await
            }
        };
        let refused = add(&svc).await.unwrap_err();
        assert_eq!(refused.to_payload().code, ErrorCode::KeychainUnavailable);

        let chosen = svc.use_session_secrets();
        assert_eq!(chosen.store, Some(StoreKind::SessionMemory));
        add(&svc).await.expect("session memory holds the key");
        svc.shutdown().await;
    });
}

/// The files under `dir` (recursively) whose bytes contain `needle`.
fn files_holding(dir: &Path, needle: &str) -> Vec<PathBuf> {
    let mut hits = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                todo.push(path);
            } else if std::fs::read(&path)
                .is_ok_and(|b| b.windows(needle.len()).any(|w| w == needle.as_bytes()))
            {
                hits.push(path);
            }
        }
    }
    hits
}

fn local_key(svc: &Services) -> String {
    let local = svc.context().local.expect("the sandbox runs");
    local.secret_key.secret().to_string()
}

#[test]
fn the_sandbox_data_is_sealed_with_the_keychain_key_and_set_aside_when_the_key_is_gone() {
    tauri::async_runtime::block_on(async {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("config");
        let store: Arc<dyn SecretStore> = Arc::new(MemoryStore::new());
        let missing = dir.path().join("missing");
        let start = |store: Arc<dyn SecretStore>| {
            Services::start_with_store(config.clone(), &missing, store, no_browser())
        };
        let first = start(store.clone()).await;
        let key = local_key(&first);
        first.shutdown().await;
        assert!(
            files_holding(&config, &key).is_empty(),
            "the config dir holds the local key in plaintext"
        );

        let again = start(store.clone()).await;
        let same = local_key(&again);
        assert_eq!(same, key, "the same sandbox after a restart");
        again.shutdown().await;

        // The keychain entry is gone: the sealed data is moved aside, never lost.
        let fresh = start(Arc::new(MemoryStore::new())).await;
        let status = fresh.sandbox_status();
        assert_eq!(status.state, SandboxState::Running);
        let note = status.message.unwrap_or_default();
        assert!(note.contains("sealed with another key"), "{note}");
        assert!(note.contains("moved to"), "{note}");
        let other = local_key(&fresh);
        assert_ne!(other, key, "a fresh sandbox");
        // Opening a project later keeps saying where the old data went.
        let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        std::fs::create_dir_all(&missing).unwrap();
        std::fs::copy(
            repo.join("stripe-app.json"),
            missing.join("stripe-app.json"),
        )
        .unwrap();
        let later = fresh.open_manifest(missing.join("stripe-app.json"));
        assert!(later.app_id.is_some(), "{later:?}");
        assert!(
            later.message.as_deref().unwrap_or("").contains("moved to"),
            "{later:?}"
        );
        fresh.shutdown().await;
        let aside: Vec<_> = std::fs::read_dir(&config)
            .unwrap()
            .flatten()
            .filter(|e| {
                e.file_name()
                    .to_string_lossy()
                    .starts_with("sandbox.unreadable-")
            })
            .collect();
        assert_eq!(aside.len(), 1, "the old data is kept aside");
    });
}

#[test]
fn opening_another_project_makes_its_app_the_sandbox_app() {
    tauri::async_runtime::block_on(async {
        let dir = tempfile::tempdir().unwrap();
        let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let sample = std::fs::read_to_string(repo.join("stripe-app.json")).unwrap();
        let mut json: serde_json::Value = serde_json::from_str(&sample).unwrap();
        let first_id = json["id"].as_str().unwrap().to_string();
        let a = dir.path().join("a");
        let b = dir.path().join("b");
        std::fs::create_dir_all(&a).unwrap();
        std::fs::create_dir_all(&b).unwrap();
        std::fs::write(a.join("stripe-app.json"), &sample).unwrap();
        json["id"] = "com.example.second-project".into();
        std::fs::write(b.join("stripe-app.json"), json.to_string()).unwrap();

        let svc = Services::start_with_store(
            dir.path().join("config"),
            &a,
            Arc::new(MemoryStore::new()),
            no_browser(),
        )
        .await;
        let local_app = |svc: &Services| svc.context().local.unwrap().app.unwrap();
        let first = local_app(&svc);
        assert_eq!(first.id, first_id);

        let status = svc.open_manifest(b.join("stripe-app.json"));
        assert_eq!(status.app_id.as_deref(), Some("com.example.second-project"));
        assert_eq!(local_app(&svc).id, "com.example.second-project");
        assert_eq!(svc.manifest(), Some(b.join("stripe-app.json")));

        svc.open_manifest(a.join("stripe-app.json"));
        let back = local_app(&svc);
        assert_eq!(back.id, first_id);
        assert_eq!(back.client_id, first.client_id, "credentials are kept");

        std::fs::write(b.join("stripe-app.json"), "{ not json").unwrap();
        let status = svc.open_manifest(b.join("stripe-app.json"));
        assert!(
            status
                .message
                .as_deref()
                .unwrap_or("")
                .contains("no app is registered"),
            "{status:?}"
        );
        svc.shutdown().await;
    });
}

#[test]
fn the_embedded_sandbox_registers_stripe_app_json_alone_and_matches_redirects_exactly() {
    tauri::async_runtime::block_on(async {
        let dir = tempfile::tempdir().unwrap();
        let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let project = dir.path().join("p");
        std::fs::create_dir_all(&project).unwrap();
        for f in ["stripe-app.json", "stripe-app.dev.json"] {
            std::fs::copy(repo.join(f), project.join(f)).unwrap();
        }
        let svc = Services::start_with_store(
            dir.path().join("config"),
            &project.join("stripe-app.json"),
            Arc::new(MemoryStore::new()),
            no_browser(),
        )
        .await;
        let base = project.join("stripe-app.json").display().to_string();
        let status = svc.sandbox_status();
        assert_eq!(status.registered_from.as_deref(), Some(base.as_str()));
        let url = status.base_url.clone().unwrap();
        let control = Control::new(svc.context().http, &url);
        assert!(
            !control.any_loopback_port().await.unwrap(),
            "exact redirect URI matching, as on Stripe"
        );

        let status = svc.open_manifest(project.join("stripe-app.dev.json"));
        assert_eq!(
            status.registered_from.as_deref(),
            Some(base.as_str()),
            "an extension manifest registers its base"
        );
        let note = status.message.unwrap_or_default();
        assert!(note.contains("stripe apps upload"), "and says why: {note}");
        svc.shutdown().await;
    });
}
