//! Manifests never tear: `kill -9` an `appdeck manifest grant|revoke` at random
//! moments during 1,000 saves; after each kill the manifest parses and equals
//! either the text before the edit or the text after it, byte for byte.
//! (Saves go through temp file + fsync + rename in core.)

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const SAMPLE: &str = include_str!("../../../../stripe-app.json");

fn appdeck() -> Command {
    Command::new(env!("CARGO_BIN_EXE_appdeck"))
}

/// A small deterministic xorshift, so a failure can be replayed from its seed.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[test]
fn kill_9_during_1000_saves_never_tears_the_manifest() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("stripe-app.json");
    std::fs::write(&path, SAMPLE).unwrap();
    // The "after" text: what a completed grant produces.
    let status = appdeck()
        .args([
            "manifest",
            "grant",
            "permission",
            "product_read",
            "Shows products.",
        ])
        .arg("--manifest")
        .arg(&path)
        .status()
        .unwrap();
    assert!(status.success());
    let granted = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, SAMPLE).unwrap();
    assert_ne!(granted, SAMPLE);

    // Calibrate: how long one grant takes, so kills land across the whole save.
    let started = Instant::now();
    let _ = appdeck().args(["--version"]).output();
    let spawn_cost = started.elapsed();
    let window_us = (spawn_cost.as_micros() as u64 * 6).max(2_000);

    let seed = std::env::var("TEAR_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x9e37_79b9_7f4a_7c15);
    let mut rng = Rng(seed);
    let (mut killed, mut finished) = (0, 0);
    for i in 0..1000 {
        let before = std::fs::read_to_string(&path).unwrap();
        let grant = before == SAMPLE;
        let mut cmd = appdeck();
        if grant {
            cmd.args([
                "manifest",
                "grant",
                "permission",
                "product_read",
                "Shows products.",
            ]);
        } else {
            cmd.args(["manifest", "revoke", "permission", "product_read"]);
        }
        let mut child = cmd
            .arg("--manifest")
            .arg(&path)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_micros(rng.next() % window_us));
        match child.try_wait().unwrap() {
            Some(_) => finished += 1,
            None => {
                child.kill().unwrap(); // SIGKILL on Unix
                killed += 1;
            }
        }
        let _ = child.wait();
        let after = std::fs::read_to_string(&path).unwrap();
        assert!(
            after == SAMPLE || after == granted,
            "iteration {i} (seed {seed}): the manifest is neither the old nor the new text:\n{after}"
        );
        assert!(serde_json::from_str::<serde_json::Value>(&after).is_ok());
    }
    eprintln!("1000 saves: {killed} killed mid-run, {finished} finished; the manifest was whole every time");
    assert!(
        killed > 50,
        "the kills must land while saves run (killed {killed})"
    );
}
