"""What the benchmarks share: free loopback ports and rbldnsd started on
zone files of a bed, waited for until it answers."""

import os
import socket
import subprocess
import sys
import time


def free_port():
    """Returns a UDP port on 127.0.0.1 free at the time of asking."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_rbldnsd(work, datasets, port, address="127.0.0.1"):
    """Starts rbldnsd on `address`:`port` serving `datasets`
    ("zone:type:file", files relative to `work`) and returns its process
    once it answers a question about the first zone (any answer: it
    answers only once its data is loaded). Exits if it does not start."""
    cmd = ["/usr/sbin/rbldnsd", "-n", "-b", f"{address}/{port}", "-w", work]
    if os.geteuid() == 0:
        cmd += ["-u", "rbldns"]
    proc = subprocess.Popen(cmd + datasets, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    probe = "2.0.0.127." + datasets[0].split(":")[0]
    for _ in range(600):
        r = subprocess.run(["dig", "+time=1", "+tries=1", "-p", str(port),
                            "@" + address, probe, "A"],
                           capture_output=True, text=True)
        if "status:" in r.stdout:
            return proc
        if proc.poll() is not None:
            break
        time.sleep(0.1)
    proc.kill()
    sys.exit("rbldnsd did not start")


def median_run(runs):
    """Returns the run (a tuple, first element the measure) in the middle."""
    return sorted(runs, key=lambda r: r[0])[len(runs) // 2]


def build_opt(root, targets):
    """Builds `targets` (Bazel labels) with -c opt in the workspace at
    `root`; returns that configuration's bazel-bin directory."""
    subprocess.run(["bazel", "build", "-c", "opt"] + targets, cwd=root,
                   check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return subprocess.run(["bazel", "info", "-c", "opt", "bazel-bin"],
                          cwd=root, check=True, capture_output=True,
                          text=True).stdout.strip()
