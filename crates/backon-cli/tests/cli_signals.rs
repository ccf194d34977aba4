//! SIGINT and SIGTERM sent to backon: forwarded to the child, and no run
//! after them.

mod common;

use common::{Sandbox, code, signal, sleeping, wait_exit, wait_for};
use nix::sys::signal::Signal;
use std::fs::File;
use std::process::Stdio;

#[test]
fn sigterm_is_forwarded_and_stops_retries() {
    let sandbox = Sandbox::new();
    // `wait` lets the trap run at once; the trap also ends the sleep so
    // that nothing is left behind.
    let body = "trap 'echo term >> marker; kill $p; exit 7' TERM\n\
                sleep 30 & p=$!\n\
                echo $$ > pid\n\
                wait $p";
    let script = sandbox.script("trap.sh", body);
    let mut backon = common::backon(sandbox.path(), &["-n", "5", "-d", "1ms", "sh", &script])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_for("the child's PID", || !sandbox.read("pid").trim().is_empty());

    signal(&backon, Signal::SIGTERM);
    let status = wait_exit(&mut backon);

    assert_eq!(code(status), 7);
    assert_eq!(sandbox.read("marker"), "term\n");
    assert_eq!(sandbox.runs(), 1);
    let err = std::io::read_to_string(backon.stderr.take().unwrap()).unwrap();
    assert_eq!(err, "backon: got signal 15 (SIGTERM); not retrying\n");
}

#[test]
fn a_child_killed_by_the_forwarded_signal_sets_128_plus_it() {
    let sandbox = Sandbox::new();
    let script = sandbox.script("sleeper.sh", "echo $$ > pid\nexec sleep 30");
    let mut backon = common::backon(sandbox.path(), &["-n", "5", "-d", "1ms", "sh", &script])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_for("the child to sleep", || {
        sandbox.read("pid").trim().parse().is_ok_and(sleeping)
    });

    signal(&backon, Signal::SIGINT);
    let status = wait_exit(&mut backon);

    assert_eq!(code(status), 130);
    assert_eq!(sandbox.runs(), 1);
    assert!(!sleeping(sandbox.pids("pid")[0]));
    let err = std::io::read_to_string(backon.stderr.take().unwrap()).unwrap();
    assert_eq!(err, "backon: got signal 2 (SIGINT); not retrying\n");
}

#[test]
fn a_signal_during_a_sleep_ends_it_at_once() {
    let sandbox = Sandbox::new();
    let script = sandbox.flaky(100, 1);
    let log = File::create(sandbox.file("stderr")).unwrap();
    let args = ["-n", "5", "-d", "30s", "-j", "none", "sh", &script];
    let mut backon = common::backon(sandbox.path(), &args)
        .stderr(log)
        .spawn()
        .unwrap();
    // The line comes once the child is reaped, just before the sleep.
    wait_for("the retry line", || {
        sandbox.read("stderr").contains("retrying in 30s")
    });

    signal(&backon, Signal::SIGTERM);
    let status = wait_exit(&mut backon);

    assert_eq!(code(status), 143);
    assert_eq!(sandbox.runs(), 1);
    assert!(
        sandbox
            .read("stderr")
            .ends_with("got signal 15 (SIGTERM); not retrying\n")
    );
}
