//! The generator's output: a snapshot of every generated file, byte-for-byte agreement with
//! the checked-in crate (the test form of `cargo xtask codegen --check`), and determinism.

use std::path::{Path, PathBuf};

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ lives in the repository")
        .to_owned()
}

fn generate() -> Vec<acs_codegen::GeneratedFile> {
    let root = repo_root();
    acs_codegen::generate(&root.join("api-spec"), &root)
        .unwrap_or_else(|e| panic!("the spec must load:\n{e}"))
}

#[test]
fn snapshot_every_generated_file() {
    for file in generate() {
        let name = file.path.replace('/', "__");
        insta::assert_snapshot!(name, file.contents);
    }
}

#[test]
fn checked_in_files_match_the_spec() {
    let root = repo_root();
    let files = generate();
    let dirs: Vec<String> = acs_codegen::load_model(&root.join("api-spec"), &root)
        .expect("spec loads")
        .iter()
        .map(|s| s.crate_dir.clone())
        .collect();
    let drift =
        acs_codegen::files::drift(&root, &files, &dirs).expect("generated files are readable");
    assert!(
        drift.is_clean(),
        "generated files differ from the spec; run `cargo xtask codegen`:\n{}",
        drift.report().join("\n")
    );
}

#[test]
fn generation_is_deterministic() {
    assert_eq!(generate(), generate());
}

#[test]
fn the_output_does_not_depend_on_the_number_of_threads() {
    let root = repo_root();
    let services = acs_codegen::load_model(&root.join("api-spec"), &root).expect("spec loads");
    for service in &services {
        let one = acs_codegen::emit::emit_on(service, 1);
        for threads in [2, 3, 8] {
            assert!(
                acs_codegen::emit::emit_on(service, threads) == one,
                "{threads} threads"
            );
        }
    }
}

/// A crate folder with no generated files but an orphan the generator owns, a hand-written
/// file it must not touch, and the hand-written manifest without its generated section.
struct ScratchTree {
    scratch: std::path::PathBuf,
    orphan: std::path::PathBuf,
    hand: std::path::PathBuf,
}

fn scratch_tree(name: &str) -> ScratchTree {
    let scratch = std::env::temp_dir().join(format!("acs-codegen-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(scratch.join("generated/src/operations")).unwrap();
    let orphan = scratch.join("generated/src/operations/removed_op.rs");
    std::fs::write(
        &orphan,
        format!(
            "// {} from old. Do not edit.\n",
            acs_codegen::emit::GENERATED_MARKER
        ),
    )
    .unwrap();
    let hand = scratch.join("generated/src/hand.rs");
    std::fs::write(&hand, "// mine\n").unwrap();
    let manifest = std::fs::read_to_string(repo_root().join("generated/Cargo.toml")).unwrap();
    let hand_written = &manifest[..manifest
        .find(acs_codegen::files::SECTION_BEGIN)
        .expect("section")];
    std::fs::write(scratch.join("generated/Cargo.toml"), hand_written).unwrap();
    ScratchTree {
        scratch,
        orphan,
        hand,
    }
}

#[test]
fn regenerating_into_an_empty_tree_restores_every_file_and_removes_orphans() {
    let root = repo_root();
    let files = generate();
    let ScratchTree {
        scratch,
        orphan,
        hand,
    } = scratch_tree("restore");
    let dirs = vec!["generated".to_owned()];
    let drift = acs_codegen::files::drift(&scratch, &files, &dirs).unwrap();
    assert_eq!(drift.missing.len(), files.len() - 1);
    assert_eq!(drift.stale, vec!["generated/Cargo.toml".to_owned()]);
    assert_eq!(
        drift.orphaned,
        vec!["generated/src/operations/removed_op.rs".to_owned()]
    );
    acs_codegen::files::apply(&scratch, &files, &drift).unwrap();
    for file in &files {
        let restored = std::fs::read_to_string(scratch.join(&file.path)).unwrap();
        let checked_in = std::fs::read_to_string(root.join(&file.path)).unwrap();
        assert_eq!(restored, checked_in, "{} differs", file.path);
    }
    assert!(!orphan.exists(), "orphan not removed");
    assert!(hand.exists(), "hand-written file touched");
    assert!(
        acs_codegen::files::drift(&scratch, &files, &dirs)
            .unwrap()
            .is_clean()
    );
    // A hand-written file in the way of a generated one is refused, not overwritten.
    std::fs::write(scratch.join("generated/src/lib.rs"), "// mine\n").unwrap();
    let drift = acs_codegen::files::drift(&scratch, &files, &dirs).unwrap();
    assert_eq!(drift.foreign, vec!["generated/src/lib.rs".to_owned()]);
    assert!(acs_codegen::files::apply(&scratch, &files, &drift).is_err());
    assert_eq!(
        std::fs::read_to_string(scratch.join("generated/src/lib.rs")).unwrap(),
        "// mine\n"
    );
    let _ = std::fs::remove_dir_all(&scratch);
}

/// `cargo xtask codegen` writes through `files::sync` (files written as they are emitted):
/// it must leave the disk as `drift` then `apply` do.
#[test]
fn syncing_into_an_empty_tree_restores_every_file_and_removes_orphans() {
    let root = repo_root();
    let files = generate();
    let services = acs_codegen::load_model(&root.join("api-spec"), &root).expect("spec loads");
    let ScratchTree {
        scratch,
        orphan,
        hand,
    } = scratch_tree("sync");
    let synced = acs_codegen::files::sync(&scratch, &services, 3).unwrap();
    assert_eq!(
        synced,
        acs_codegen::files::Synced {
            generated: files.len(),
            written: files.len(),
            orphans_removed: 1,
        }
    );
    for file in &files {
        let restored = std::fs::read_to_string(scratch.join(&file.path)).unwrap();
        let checked_in = std::fs::read_to_string(root.join(&file.path)).unwrap();
        assert_eq!(restored, checked_in, "{} differs", file.path);
    }
    assert!(!orphan.exists(), "orphan not removed");
    assert!(hand.exists(), "hand-written file touched");
    // Nothing left to write.
    let again = acs_codegen::files::sync(&scratch, &services, 2).unwrap();
    assert_eq!((again.written, again.orphans_removed), (0, 0));
    // A hand-written file in the way of a generated one is refused before anything is
    // written.
    let stale = scratch.join("generated/src/client.rs");
    std::fs::write(
        &stale,
        format!("// {}\n", acs_codegen::emit::GENERATED_MARKER),
    )
    .unwrap();
    std::fs::write(scratch.join("generated/src/lib.rs"), "// mine\n").unwrap();
    let error = acs_codegen::files::sync(&scratch, &services, 2).unwrap_err();
    assert!(
        error.to_string().contains("generated/src/lib.rs"),
        "{error}"
    );
    assert_eq!(
        std::fs::read_to_string(scratch.join("generated/src/lib.rs")).unwrap(),
        "// mine\n"
    );
    assert_eq!(
        std::fs::read_to_string(&stale).unwrap(),
        format!("// {}\n", acs_codegen::emit::GENERATED_MARKER),
        "written although a hand-written file is in the way"
    );
    let _ = std::fs::remove_dir_all(&scratch);
}
