//! The Permissions screen's answers (`permissions.json`): the catalog and the
//! event types as embedded in core, a manifest as loaded, each one-step edit
//! as written to disk, a stale write refused, and the event advisor's advice
//! before and after granting what it suggests.

use std::path::Path;

use appdeck_core::catalog::Catalog;
use appdeck_core::error::{Coded, ErrorCode};
use appdeck_core::manifest::{advise_at, ops, ManifestEdit, ManifestState};

use crate::canned::Canned;
use crate::scrub::Scrub;
use crate::support::Folder;

const MANIFEST: &str = r#"{
  "id": "com.example.app",
  "version": "1.0.0",
  "name": "Orders",
  "permissions": [
    { "permission": "customer_read", "purpose": "Show orders" }
  ],
  "ui_extension": {
    "views": [],
    "content_security_policy": { "connect-src": ["https://api.example.com/v1/"], "purpose": "Orders API" }
  }
}
"#;

/// `edit` written over a fresh copy of [`MANIFEST`], as `apply_edit_and_save` does.
fn written(path: &Path, loaded: &ManifestState, edit: ManifestEdit) -> ManifestState {
    std::fs::write(path, MANIFEST).unwrap();
    ops::edit_on_disk(path, Some(&loaded.document.revision), &edit).unwrap()
}

#[test]
fn permissions_screen() {
    let mut scrub = Scrub::new();
    let proj = Folder::new("/proj", &mut scrub);
    let mut out = Canned::new("permissions");
    let catalog = Catalog::embedded();
    out.put("catalog", &catalog.all().to_vec());
    let events: Vec<String> = catalog.events().map(|(e, _)| e.to_string()).collect();
    out.put("eventTypes", &events);

    let path = proj.write("stripe-app.json", MANIFEST);
    let loaded = ops::open(&path).unwrap();
    out.put("manifest", &loaded);

    out.put(
        "grantedCustomerWrite",
        &written(
            &path,
            &loaded,
            ManifestEdit::GrantPermission {
                permission: "customer_write".into(),
                purpose: "Create customers from orders".into(),
            },
        ),
    );
    let revoked = written(
        &path,
        &loaded,
        ManifestEdit::RevokePermission {
            permission: "customer_read".into(),
        },
    );
    assert!(!revoked.document.text.contains("customer_read"));
    out.put("revokedCustomerRead", &revoked);
    out.put(
        "purposeSet",
        &written(
            &path,
            &loaded,
            ManifestEdit::SetPermissionPurpose {
                permission: "customer_read".into(),
                purpose: "List orders".into(),
            },
        ),
    );
    out.put(
        "connectSrcGranted",
        &written(
            &path,
            &loaded,
            ManifestEdit::GrantConnectSrc {
                url: "https://auth.example.com/oauth/".into(),
                purpose: None,
            },
        ),
    );

    // The advisor: one event the manifest receives, one it doesn't.
    let text = &loaded.document.text;
    let first = ["customer.created".to_string()];
    let both = ["customer.created".to_string(), "invoice.paid".to_string()];
    out.put(
        "adviceCustomerCreated",
        &advise_at(catalog, &path, text, &first),
    );
    let advice = advise_at(catalog, &path, text, &both);
    let suggestion = advice[1].suggestion.clone().expect("a permission to grant");
    assert!(advice[0].granted_by.is_some() && advice[1].granted_by.is_none());
    out.put("adviceBoth", &advice);
    let granted = written(
        &path,
        &loaded,
        ManifestEdit::GrantPermission {
            permission: suggestion.clone(),
            purpose: "Receive invoice.paid events.".into(),
        },
    );
    let after = advise_at(catalog, &path, &granted.document.text, &both);
    assert_eq!(after[1].granted_by.as_deref(), Some(suggestion.as_str()));
    out.put("grantedSuggestion", &granted);
    out.put("adviceBothAfterGrant", &after);

    // Another program wrote the file since it was loaded.
    std::fs::write(&path, MANIFEST.replace("Orders API", "Orders API v2")).unwrap();
    let stale = ops::edit_on_disk(
        &path,
        Some(&loaded.document.revision),
        &ManifestEdit::RevokePermission {
            permission: "customer_read".into(),
        },
    )
    .unwrap_err();
    assert_eq!(stale.code(), ErrorCode::ManifestChangedOnDisk);
    out.error("changedOnDisk", &stale);

    out.write(&mut scrub);
}
