//! Programs that cannot start: each failure named for its cause, with
//! 126 or 127.

mod common;

use common::{Sandbox, code, run, stderr};
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::sync::Mutex;

/// Held while a test writes a file it then executes.
///
/// A file open for writing cannot be executed ("text file busy"), and a
/// process that another test thread forks meanwhile inherits the open
/// file until it execs; so no two tests here write and execute at once.
static WRITING: Mutex<()> = Mutex::new(());

/// Writes `text` to `path` with the given permissions.
fn write(path: &Path, text: &str, mode: u32) {
    fs::write(path, text).unwrap();
    fs::set_permissions(path, fs::Permissions::from_mode(mode)).unwrap();
}

#[test]
fn a_missing_program_exits_127() {
    let sandbox = Sandbox::new();

    let out = run(
        sandbox.path(),
        &["-q", "-d", "1ms", "backon-test-no-such-program"],
    );

    assert_eq!(code(out.status), 127);
    assert_eq!(
        stderr(&out),
        "backon: cannot run backon-test-no-such-program: not found\n"
    );
}

#[test]
fn a_missing_path_exits_127() {
    let sandbox = Sandbox::new();

    let out = run(sandbox.path(), &["-d", "1ms", "./nothing-here"]);

    assert_eq!(code(out.status), 127);
    assert_eq!(
        stderr(&out),
        "backon: cannot run ./nothing-here: not found\n"
    );
}

#[test]
fn a_file_that_is_not_executable_exits_126() {
    let sandbox = Sandbox::new();
    write(&sandbox.file("plain.sh"), "#!/bin/sh\nexit 0\n", 0o644);

    let out = run(sandbox.path(), &["-d", "1ms", "./plain.sh"]);

    assert_eq!(code(out.status), 126);
    assert_eq!(
        stderr(&out),
        "backon: cannot run ./plain.sh: permission denied\n"
    );
}

#[test]
fn a_script_whose_interpreter_is_missing_says_so() {
    let _writing = WRITING
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let sandbox = Sandbox::new();
    let text = "#!/backon-test/no/such/sh -e\nexit 0\n";
    write(&sandbox.file("badshebang"), text, 0o755);

    let out = run(sandbox.path(), &["-d", "1ms", "./badshebang"]);

    assert_eq!(code(out.status), 126);
    assert_eq!(
        stderr(&out),
        "backon: cannot run ./badshebang: its interpreter /backon-test/no/such/sh is missing\n"
    );
}

#[test]
fn a_script_found_on_path_whose_interpreter_is_missing_says_so() {
    let _writing = WRITING
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let sandbox = Sandbox::new();
    let bin = sandbox.file("bin");
    fs::create_dir(&bin).unwrap();
    write(&bin.join("badshebang"), "#!/backon-test/sh\n", 0o755);

    let out = common::backon(sandbox.path(), &["-d", "1ms", "badshebang"])
        .env("PATH", &bin)
        .output()
        .unwrap();

    assert_eq!(code(out.status), 126);
    assert_eq!(
        stderr(&out),
        "backon: cannot run badshebang: its interpreter /backon-test/sh is missing\n"
    );
}

#[test]
fn a_directory_exits_126_and_says_so() {
    let sandbox = Sandbox::new();
    fs::create_dir(sandbox.file("dir")).unwrap();

    let out = run(sandbox.path(), &["-d", "1ms", "./dir"]);

    assert_eq!(code(out.status), 126);
    assert_eq!(
        stderr(&out),
        "backon: cannot run ./dir: it is a directory\n"
    );
}
