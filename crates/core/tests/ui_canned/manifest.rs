//! The Manifest screen's answers (`manifest.json`): a manifest with a problem,
//! one without its name, and a clean one as loaded, form edits previewed on the buffer, the save
//! preview's diff, saves, the file changed on disk, and the coded refusals.

use appdeck_core::error::{Coded, ErrorCode};
use appdeck_core::manifest::{diff_lines, ops, ManifestEdit};

use crate::canned::Canned;
use crate::scrub::Scrub;
use crate::support::Folder;

/// Non-ASCII before the problem: core reports byte offsets, the editor counts
/// UTF-16 units, and the UI converts.
const WITH_PROBLEM: &str = r#"{
  "id": "com.example.café",
  "version": "1.0.0",
  "name": "Café — orders",
  "permissions": [
    { "permission": "customers_read", "purpose": "Show orders" }
  ]
}
"#;

const CLEAN: &str = r#"{
  "id": "com.example.app",
  "version": "1.0.0",
  "name": "Orders",
  "permissions": [
    { "permission": "customer_read", "purpose": "Show orders" }
  ]
}
"#;

fn set_name(value: &str) -> ManifestEdit {
    ManifestEdit::SetName {
        value: value.into(),
    }
}

#[test]
fn manifest_screen() {
    let mut scrub = Scrub::new();
    let proj = Folder::new("/proj", &mut scrub);
    let mut out = Canned::new("manifest");

    let path = proj.write("stripe-app.json", WITH_PROBLEM);
    let problem = ops::open(&path).unwrap();
    assert!(
        problem
            .diagnostics
            .iter()
            .any(|d| d.code == "unknown-permission"
                && d.suggestion.as_deref() == Some("customer_read")),
        "the misspelled permission is reported with its fix: {:?}",
        problem.diagnostics
    );
    out.put("problem", &problem);

    std::fs::write(&path, CLEAN.replace("  \"name\": \"Orders\",\n", "")).unwrap();
    let unnamed = ops::open(&path).unwrap();
    assert!(
        unnamed
            .diagnostics
            .iter()
            .any(|d| d.code == "missing-field" && d.message.contains("name")),
        "a manifest without a name is missing a field: {:?}",
        unnamed.diagnostics
    );
    out.put("missingName", &unnamed);

    std::fs::write(&path, CLEAN).unwrap();
    let clean = ops::open(&path).unwrap();
    assert!(clean.diagnostics.is_empty(), "{:?}", clean.diagnostics);
    out.put("clean", &clean);

    let renamed = ops::preview(&path, CLEAN, &set_name("Renamed")).unwrap();
    assert!(renamed.text.contains(r#""name": "Renamed""#) && !renamed.unchanged);
    out.put("renamed", &renamed);
    let mine = ops::preview(&path, CLEAN, &set_name("Mine")).unwrap();
    out.put("mine", &mine);
    out.put(
        "keptFocus",
        &ops::preview(&path, CLEAN, &set_name("Kept focus")).unwrap(),
    );
    let empty = ops::preview(&path, CLEAN, &set_name("")).unwrap_err();
    assert_eq!(empty.to_payload().code, ErrorCode::EditRefused);
    out.error("emptyNameRefused", &empty);

    out.put("saveDiff", &diff_lines(CLEAN, &renamed.text, 3));
    out.put(
        "savedRenamed",
        &ops::save(&path, &clean.document.revision, &renamed.text).unwrap(),
    );

    // Another editor changes the file: the version, then the name.
    std::fs::write(&path, CLEAN.replace(r#""1.0.0""#, r#""2.0.0""#)).unwrap();
    let stale = ops::save(&path, &clean.document.revision, &renamed.text).unwrap_err();
    assert_eq!(stale.to_payload().code, ErrorCode::ManifestChangedOnDisk);
    out.error("saveChangedOnDisk", &stale);
    let outside = ops::open(&path).unwrap();
    out.put("outsideVersion", &outside);
    out.put(
        "saveDiffOverOutside",
        &diff_lines(&outside.document.text, &mine.text, 3),
    );
    out.put(
        "savedMineOverOutside",
        &ops::save(&path, &outside.document.revision, &mine.text).unwrap(),
    );
    std::fs::write(&path, CLEAN.replace(r#""Orders""#, r#""Orders 2""#)).unwrap();
    out.put("outsideName", &ops::open(&path).unwrap());

    let missing = ops::open(&proj.file("missing/stripe-app.json")).unwrap_err();
    assert_eq!(missing.to_payload().code, ErrorCode::ManifestUnreadable);
    out.error("missing", &missing);

    out.write(&mut scrub);
}
