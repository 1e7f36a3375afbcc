"""Hostile snippets, part two: processes, resource exhaustion, kernel interfaces.

Same contract as ``test_hostile.py``: an outside observation that the attack
failed, then ``assert_still_works`` on the same session.
"""

from __future__ import annotations

import gc
import os
import platform
import signal
import time
import uuid
from pathlib import Path

import pytest
from sandbox_helpers import assert_still_works, dead_soon, gone_soon, set_name_code, tasks_named, unique

from assistant.sandbox import ForkServer, Sandbox, SandboxConfig


# --- processes -------------------------------------------------------------------------


def test_os_system_runs_nothing(sandbox, need):
    need("seccomp", "landlock")
    marker = Path("/tmp") / f"sciwand-system-{uuid.uuid4().hex}"
    result = sandbox.run(f"import os\nos.system('touch {marker}')")
    assert result.ok and result.value != 0
    assert not marker.exists()
    assert_still_works(sandbox)


def test_subprocess_cannot_execute(sandbox, need):
    need("seccomp", "landlock")
    marker = Path("/tmp") / f"sciwand-subprocess-{uuid.uuid4().hex}"
    result = sandbox.run(f"import subprocess\nsubprocess.run(['/bin/sh', '-c', 'touch {marker}'])")
    assert result.status == "error" and result.error.type == "PermissionError"
    assert not marker.exists()
    assert_still_works(sandbox)


def test_fork_bomb_is_bounded_and_cleaned_up(server, need):
    need("cgroup", "unprivileged uid")  # pids.max, or RLIMIT_NPROC once the uid is not root
    name = unique("swbomb")
    with Sandbox(timeout_s=3, server=server) as sb:
        result = sb.run(set_name_code(name) + "import os\nwhile True:\n    os.fork()", timeout_s=3)
        assert result.status in {"error", "timeout"}
        assert len(tasks_named(name)) <= sb.config.max_processes * 8 + 1
        assert_still_works(sb)
    assert gone_soon(name)


def test_killing_the_parent_leaves_it_alive(server, sandbox):
    result = sandbox.run(f"import os, signal\nos.kill({server.pid}, signal.SIGKILL)")
    assert result.status == "error" and result.error.type in {"ProcessLookupError", "PermissionError"}
    getppid = sandbox.run("import os, signal\nos.kill(os.getppid(), signal.SIGKILL)")
    # In a pid namespace getppid() is 0, so this signals the child's own group, where init ignores SIGKILL.
    assert getppid.status in {"ok", "error", "killed"}
    for pid in (server.pid, os.getpid()):
        os.kill(pid, 0)  # raises if gone
    assert server.alive
    assert_still_works(sandbox)


def test_kill_every_process_reaches_nothing_outside(server, sandbox):
    result = sandbox.run("import os, signal\nos.kill(-1, signal.SIGKILL)")
    assert result.status in {"error", "killed", "ok"}
    assert server.alive
    os.kill(os.getpid(), 0)
    assert_still_works(sandbox)


LEFT_RUNNING = {
    # a forked process that tries to leave the process group the parent kills
    "setsid-escape": (
        "import os, time\n"
        "if os.fork() == 0:\n"
        "    try:\n        os.setsid()\n    except OSError:\n        pass\n"
        "    {rename}\n"
        "    time.sleep(600)\n"
        "while True:\n    pass\n"
    ),
    # a thread that would keep burning CPU after the job was given up
    "thread": (
        "import threading, time\n"
        "def spin():\n"
        "    {rename}\n"
        "    while True:\n        pass\n"
        "threading.Thread(target=spin, daemon=False).start()\n"
        "time.sleep(600)\n"
    ),
}


@pytest.mark.parametrize("template", LEFT_RUNNING.values(), ids=LEFT_RUNNING.keys())
def test_work_left_running_dies_with_the_timeout(sandbox, template):
    name = unique("swleft")
    result = sandbox.run(template.format(rename=set_name_code(name).strip()), timeout_s=2)
    assert result.status == "timeout"
    assert gone_soon(name)
    assert_still_works(sandbox)


def test_orphan_process_does_not_outlive_the_session(server):
    name = unique("sworphan")
    code = (
        "import os, time\n"
        "if os.fork() == 0:\n"
        "    if os.fork() == 0:\n"
        f"        {set_name_code(name).strip()}\n"
        "        time.sleep(600)\n"
        "    os._exit(0)\n"
        "time.sleep(0.3)\n"
    )
    with Sandbox(timeout_s=3, server=server) as sb:
        assert sb.run(code).status == "ok"
        assert tasks_named(name), "the orphan should exist while its session is open"
        assert_still_works(sb)
    assert gone_soon(name)


def test_infinite_loop_times_out_on_the_wall_clock(sandbox):
    started = time.monotonic()
    result = sandbox.run("while True:\n    pass", timeout_s=2)
    assert result.status == "timeout" and result.error.type == "Timeout"
    assert time.monotonic() - started < 4
    after = sandbox.run("6 * 7")
    assert after.ok and after.new_session
    assert_still_works(sandbox)


def test_ptrace_of_the_parent_is_refused(server, sandbox, need):
    need("seccomp")
    result = sandbox.run(f"import ctypes\nctypes.CDLL(None, use_errno=True).ptrace(16, {server.pid}, 0, 0)")  # ATTACH
    assert result.ok and result.value == -1
    assert server.alive
    assert_still_works(sandbox)


# --- resources -------------------------------------------------------------------------


def test_memory_bomb_is_stopped(sandbox):
    result = sandbox.run("hog = []\nwhile True:\n    hog.append(bytearray(50 << 20))", timeout_s=10)
    assert result.status == "memory" and result.error.type == "MemoryError"
    assert_still_works(sandbox)


def test_memory_the_address_space_limit_cannot_see_is_stopped_by_the_cgroup(server, need):
    need("cgroup")
    # tmpfs pages are charged to the cgroup but never mapped: RLIMIT_AS does not count them
    config = SandboxConfig(memory_mb=100, scratch_mb=2000, file_size_mb=2000, timeout_s=20)
    with Sandbox(config=config, server=server) as sb:
        code = "with open('fill', 'wb') as f:\n    for _ in range(1500):\n        f.write(b'x' * (1 << 20))"
        result = sb.run(code)
        assert result.status == "memory" and "killed by the kernel" in result.error.message
        assert server.alive
        assert_still_works(sb)


def test_numpy_allocation_beyond_the_limit_is_refused(sandbox):
    result = sandbox.run("import numpy as np\nnp.ones(4 << 30, dtype=np.uint8)")
    assert result.status == "memory"
    assert_still_works(sandbox)


def test_recursion_bomb_is_an_ordinary_error(sandbox):
    result = sandbox.run("def f(n):\n    return f(n + 1)\nf(0)")
    assert result.status == "error" and result.error.type == "RecursionError"
    assert_still_works(sandbox)


def test_c_stack_overflow_kills_only_the_child(server, sandbox):
    code = "import sys\nsys.setrecursionlimit(10**8)\nx = []\nfor _ in range(10**6):\n    x = [x]\nstr(x)"
    result = sandbox.run(code, timeout_s=10)
    assert result.status in {"killed", "error"}
    assert server.alive
    assert_still_works(sandbox)


def test_ctypes_segfault_kills_only_the_child(server, sandbox):
    sandbox.run("kept = 1")
    result = sandbox.run("import ctypes\nctypes.string_at(0)")
    assert result.status == "killed" and result.error.type == "SIGSEGV"
    assert "Segmentation fault" in result.stderr  # faulthandler's Python stack comes back as feedback
    assert server.alive
    after = sandbox.run("'kept' in globals()")
    assert after.ok and after.value is False and after.new_session
    assert_still_works(sandbox)


def test_hundred_megabytes_of_stdout_are_capped(sandbox):
    started = time.monotonic()
    result = sandbox.run("import sys\nsys.stdout.write('x' * (100 << 20))", timeout_s=20)
    assert result.status == "output_limit"
    assert len(result.stdout) < sandbox.config.max_output_bytes + 200
    assert "bytes dropped" in result.stdout
    assert time.monotonic() - started < 15
    assert_still_works(sandbox)


def test_output_flood_from_c_is_capped_too(sandbox):
    code = "import os\nfor _ in range(200):\n    os.write(2, b'e' * (1 << 20))"
    result = sandbox.run(code, timeout_s=20)
    assert result.status == "output_limit"
    assert len(result.stderr) < sandbox.config.max_output_bytes + 200
    assert_still_works(sandbox)


def test_huge_result_value_is_truncated(sandbox):
    result = sandbox.run("list(range(10**7))", timeout_s=20)
    assert result.ok and result.value_truncated
    assert len(result.to_json()) < 2 * sandbox.config.max_value_bytes
    assert result.value[:3] == [0, 1, 2]
    assert_still_works(sandbox)


def test_huge_repr_is_capped(sandbox):
    result = sandbox.run("class Big:\n    def __repr__(self):\n        return 'y' * (50 << 20)\nBig()", timeout_s=20)
    assert result.ok and result.value is None and len(result.repr) <= 2000
    assert_still_works(sandbox)


def test_open_file_exhaustion_is_an_ordinary_error(sandbox):
    result = sandbox.run("fs = []\nwhile True:\n    fs.append(open('/dev/null'))")
    assert result.status == "error" and "Too many open files" in result.error.message
    sandbox.run("for f in fs:\n    f.close()\ndel fs")
    assert_still_works(sandbox)


def test_raising_own_limits_is_refused(sandbox):
    result = sandbox.run("import resource\nresource.setrlimit(resource.RLIMIT_AS, (-1, -1))")
    assert result.status == "error" and result.error.type in {"ValueError", "PermissionError"}
    assert_still_works(sandbox)


# --- kernel interfaces -----------------------------------------------------------------


@pytest.mark.parametrize(
    "syscall, args",
    [(425, "16, ctypes.byref(params)"), (272, "0x10000000"), (165, "b'none', b'/tmp', b'tmpfs', 0, None")],
    ids=["io_uring_setup", "unshare-user-namespace", "mount"],
)
@pytest.mark.skipif(platform.machine() != "x86_64", reason="x86_64 syscall numbers")
def test_dangerous_syscalls_via_ctypes_fail(sandbox, syscall, args, need):
    need("seccomp")
    code = (
        "import ctypes\n"
        "params = ctypes.create_string_buffer(120)\n"
        "libc = ctypes.CDLL(None, use_errno=True)\n"
        f"rc = libc.syscall({syscall}, {args})\n"
        "rc, ctypes.get_errno()"
    )
    result = sandbox.run(code)
    assert result.ok, result
    rc, err = result.value
    assert rc == -1 and err in {1, 13}  # EPERM / EACCES
    assert_still_works(sandbox)


FORGED_FRAMES = {
    "garbage": "b'\\xff\\xff\\xff\\xff garbage'",  # announces a 4 GiB frame
    "not-a-reply": "len(b'[1, 2]').to_bytes(4, 'big') + b'[1, 2]'",  # valid framing, wrong content
}


@pytest.mark.parametrize("frame", FORGED_FRAMES.values(), ids=FORGED_FRAMES.keys())
def test_forged_frames_on_the_control_socket_only_end_that_child(server, sandbox, frame):
    result = sandbox.run(f"import os, time\nos.write(3, {frame})\ntime.sleep(0.5)")
    assert result.status == "killed" and result.error.type == "ProtocolError"
    assert server.alive
    assert_still_works(sandbox)


def test_a_dropped_sandbox_leaves_no_child_and_no_scratch(server):
    sb = Sandbox(server=server)
    scratch = Path(sb.run("import os\nos.getcwd()").value)
    pid = sb.child_pid
    assert scratch.is_dir()
    del sb
    gc.collect()
    assert dead_soon(pid)
    assert not scratch.exists()


def test_exit_calls_do_not_take_the_session_down_silently(sandbox):
    result = sandbox.run("raise SystemExit(3)")
    assert result.status == "error" and result.error.type == "SystemExit"
    gone = sandbox.run("import os\nos._exit(0)")
    assert gone.status == "killed" and gone.error.type == "ProcessExit"
    assert_still_works(sandbox)


def test_a_killed_fork_server_is_replaced():
    own = ForkServer()
    try:
        with Sandbox(timeout_s=5, server=own) as sb:
            assert sb.run("x = 1").ok
            old_child = sb.child_pid
            os.kill(own.pid, signal.SIGKILL)
            assert dead_soon(old_child)  # the child dies with its server (PDEATHSIG)
            result = sb.run("x")
            assert result.status == "killed"
            assert_still_works(sb)
            assert sb.child_pid != old_child
    finally:
        own.close()

