#!/usr/bin/env bash
# Bulk on a real job engine: starts a one-node Slurm cluster on this machine
# (munged, slurmctld, slurmd, all on loopback, in a scratch directory),
# submits a 4-task job array of `dnsbl bulk --shard` over a /16 with local
# zone files (each task takes its shard from the array's environment),
# waits, and checks that the concatenated shard outputs hold exactly the
# reports of a one-machine run: every address once, identical but timings.
# Stops everything it started. Run by .ci/run.
#
#   bash tests/slurm/slurm_shard_test.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

bazel build -c opt //cli:dnsbl >/dev/null 2>&1 || bazel build -c opt //cli:dnsbl
dnsbl="$(bazel info -c opt bazel-bin 2>/dev/null)/cli/dnsbl"

work=$(mktemp -d /tmp/dnsbl-slurm-XXXXXX)
pids=()
cleanup() {
  scancel --quiet --full --signal=KILL -u root >/dev/null 2>&1 || true
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "slurm test: FAILED: $*" >&2
  for f in "$work"/*.log; do
    [[ -f "$f" ]] && { echo "--- $f" >&2; tail -20 "$f" >&2; }
  done
  exit 1
}
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# munge: a key of our own and a socket in the scratch directory.
dd if=/dev/urandom of="$work/munge.key" bs=1024 count=1 status=none
chmod 400 "$work/munge.key"
chmod 755 "$work"
/usr/sbin/munged --force --foreground --key-file="$work/munge.key" \
  --socket="$work/munge.sock" --pid-file="$work/munged.pid" \
  --log-file="$work/munged.log" --seed-file="$work/munged.seed" \
  2> "$work/munged.out.log" &
pids+=($!)

host=$(hostname -s)
mkdir -p "$work/state" "$work/spool"
cat > "$work/slurm.conf" <<CONF
ClusterName=dnsbltest
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$(free_port)
SlurmdPort=$(free_port)
AuthType=auth/munge
AuthInfo=socket=$work/munge.sock
CredType=cred/munge
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
NodeName=$host NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$work/slurm.conf"
/usr/sbin/slurmctld -D -i -f "$SLURM_CONF" > "$work/slurmctld.out.log" 2>&1 &
pids+=($!)
/usr/sbin/slurmd -D -f "$SLURM_CONF" -N "$host" > "$work/slurmd.out.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do
  sinfo -h -o '%t' 2>/dev/null | grep -qx 'idle' && break
  sleep 0.2
done
sinfo -h -o '%t' | grep -qx idle || fail "the node did not come up"
echo "slurm test: one-node cluster up ($(sinfo -h -o '%D node(s), %c CPUs, %t'))"

# Local zone files: three datasets over 10.20.0.0/16.
python3 - "$work" <<'PY'
import random, sys
work = sys.argv[1]
random.seed(7)
with open(f"{work}/set.zone", "w") as f:
    f.write(":127.0.0.2:listed $\n")
    for _ in range(3000):
        f.write(f"10.20.{random.randrange(256)}.{random.randrange(256)}\n")
    f.write("10.20.7.0/24 :3:a whole /24\n!10.20.7.7\n")
with open(f"{work}/trie.zone", "w") as f:
    f.write(":127.0.0.4:trie $\n")
    for _ in range(300):
        b = random.randrange(256); c = random.randrange(256) & 0xf0
        f.write(f"10.20.{b}.{c}/28\n")
with open(f"{work}/tset.zone", "w") as f:
    for _ in range(2000):
        f.write(f"10.20.{random.randrange(256)}.{random.randrange(256)}\n")
with open(f"{work}/catalog.textproto", "w") as f:
    f.write('zone { name: "set.test" ipv4: true default_category: SPAM_SOURCE }\n'
            'zone { name: "trie.test" ipv4: true default_category: EXPLOITED }\n'
            'zone { name: "tset.test" ipv4: true default_category: OPEN_PROXY }\n')
with open(f"{work}/input.txt", "w") as f:
    f.write("10.20.0.0/16\n")
PY
flags=(--progress=never --catalog="$work/catalog.textproto"
       --nameserver=127.0.0.1:1
       --zone_data="set.test:ip4set:$work/set.zone"
       --zone_data="trie.test:ip4trie:$work/trie.zone"
       --zone_data="tset.test:ip4tset:$work/tset.zone")

cat > "$work/job.sh" <<JOB
#!/usr/bin/env bash
exec "$dnsbl" bulk ${flags[*]} --output="$work/shard-\$SLURM_ARRAY_TASK_ID.json" "$work/input.txt"
JOB
chmod +x "$work/job.sh"
start=$(date +%s.%N)
sbatch --quiet --wait --array=0-3 --output="$work/job-%a.log" \
  --chdir="$work" "$work/job.sh" || true
elapsed=$(python3 -c "import time; print(f'{time.time()-$start:.1f}')")
for k in 0 1 2 3; do
  [[ -s "$work/shard-$k.json" ]] || fail "shard $k wrote no output"
done

"$dnsbl" bulk "${flags[@]}" --output="$work/one.json" "$work/input.txt" \
  > /dev/null 2>&1 || [[ $? -eq 1 ]]

python3 - "$work" <<'PY' || fail "the shards do not hold the one-machine reports"
import json, sys
work = sys.argv[1]
def load(paths):
    out = {}
    for p in paths:
        for line in open(p):
            r = json.loads(line)
            for k in ("started", "finished", "resolver"):
                r.pop(k, None)
            for z in r["results"]:
                for k in ("latency_ms", "data_mtime", "attempts"):
                    z.pop(k, None)
            if r["address"] in out:
                sys.exit(f"{r['address']} is in two shards")
            out[r["address"]] = r
    return out
shards = load([f"{work}/shard-{k}.json" for k in range(4)])
one = load([f"{work}/one.json"])
assert len(one) == 65536, len(one)
assert shards.keys() == one.keys(), len(shards)
diff = [a for a in one if one[a] != shards[a]]
assert not diff, diff[:5]
sizes = [sum(1 for _ in open(f"{work}/shard-{k}.json")) for k in range(4)]
listed = sum(1 for r in one.values() if r["summary"].get("listed"))
print(f"slurm test: 4 shards of {sizes} addresses = the one-machine run "
      f"(65536 reports, {listed} listed), identical but timings")
PY
echo "slurm test: job array took ${elapsed}s"
echo "slurm test: PASSED"
