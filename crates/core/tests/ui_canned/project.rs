//! The app shell's answers (`app.json`): projects as core resolves them (with
//! an extension manifest, from a folder the dialog picked, a folder without a
//! manifest), the recent list, the manifests the first screen loads, and the
//! QA screen's flow list.

use appdeck_core::error::{Coded, ErrorCode};
use appdeck_core::manifest::ops;
use appdeck_core::project;
use appdeck_core::qa::files;

use crate::canned::Canned;
use crate::scrub::Scrub;
use crate::support::Folder;

const TEXT: &str =
    "{\n  \"id\": \"com.example.app\",\n  \"version\": \"1.0.0\",\n  \"name\": \"Orders\"\n}\n";
const DEV: &str = "{\n  \"extends\": \"stripe-app.json\",\n  \"name\": \"Orders (dev)\"\n}\n";
const SMOKE: &str = "name: smoke\ndeveloper: local\naccounts: [install-1]\nsteps:\n  - install\n";

#[test]
fn app_shell() {
    let mut scrub = Scrub::new();
    let a = Folder::new("/a", &mut scrub);
    let b = Folder::new("/b", &mut scrub);
    let nowhere = Folder::new("/nowhere", &mut scrub);
    let config = Folder::new("/config", &mut scrub);
    let mut out = Canned::new("app");

    let base = a.write("stripe-app.json", TEXT);
    out.put("project", &project::resolve(a.path()).unwrap());
    out.put("manifest", &ops::open(&base).unwrap());
    a.write("flows/smoke.yaml", SMOKE);
    let flows = files::list(&files::flows_dir(&base));
    assert_eq!(flows.len(), 1);
    assert!(flows[0].error.is_none(), "{:?}", flows[0].error);
    out.put("flows", &flows);

    let dev = a.write("stripe-app.dev.json", DEV);
    let with_dev = project::resolve(&base).unwrap();
    assert_eq!(with_dev.extensions.len(), 1);
    out.put("projectWithDev", &with_dev);
    out.put("devManifest", &ops::open(&dev).unwrap());

    b.write("stripe-app.json", TEXT);
    let opened = project::resolve(b.path()).unwrap();
    out.put(
        "recentAfterOpeningB",
        &project::remember(config.path(), &opened.manifest_path).unwrap(),
    );
    out.put("projectB", &opened);

    let missing = project::resolve(nowhere.path()).unwrap_err();
    assert_eq!(missing.code(), ErrorCode::ProjectNotFound);
    out.error("notFound", &missing);

    out.write(&mut scrub);
}
