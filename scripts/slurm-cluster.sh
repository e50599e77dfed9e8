#!/usr/bin/env bash
# A real one-node SLURM cluster on this machine, to run workflow/Snakefile through sbatch:
#
#   sudo scripts/slurm-cluster.sh up      # prints: export SLURM_CONF=...
#   export SLURM_CONF=/tmp/genomatrix-slurm/slurm.conf
#   snakemake -s workflow/Snakefile --profile workflow/profiles/slurm --config matrix=...
#   sudo scripts/slurm-cluster.sh down
#
# Runs as root, without systemd and without cgroups (ProctrackType=proctrack/linuxproc,
# TaskPlugin=task/none: memory requests schedule jobs, nothing enforces them). Installs the Debian
# packages slurmctld, slurmd, slurm-client and munge when they are missing. Everything it makes
# lives in one directory, GENOMATRIX_SLURM_DIR (default /tmp/genomatrix-slurm): its own munge key
# and socket, slurm.conf, state, logs and PID files; its daemons listen on ports
# GENOMATRIX_SLURM_PORT and the next one (default: the first pair free from 16817, 16818 up), so a
# system SLURM or munge, or another such cluster, is left alone. A directory that an earlier `up`
# made and whose daemons are all gone (a run killed before its `down`) is removed and made anew.
# `down` cancels the cluster's jobs, stops only the daemons whose PID files `up` wrote, and removes
# the directory. `status` says whether the cluster is up.
set -eEuo pipefail

state=${GENOMATRIX_SLURM_DIR:-/tmp/genomatrix-slurm}
port=${GENOMATRIX_SLURM_PORT:-}
conf=$state/slurm.conf
marker=$state/.genomatrix-slurm
# Daemons in the order `up` starts them; `down` stops them in reverse.
daemons=(munged slurmctld slurmd)

say() { echo "slurm-cluster: $*" >&2; }
fail() { say "$*"; exit 1; }

pid_of() { # the PID in $1's PID file, if that process is still the daemon it names (and not a zombie: killed, not yet reaped)
  local file=$state/$1.pid pid
  [[ -s $file ]] || return 1
  pid=$(<"$file")
  [[ $pid =~ ^[0-9]+$ ]] && [[ "$(cat "/proc/$pid/comm" 2>/dev/null)" == "$1" ]] && ! grep -qs '^State:[[:space:]]*Z' "/proc/$pid/status" && echo "$pid"
}

port_free() { # nothing listens on 127.0.0.1:$1
  ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

pick_port() {
  if [[ -n $port ]]; then
    port_free "$port" && port_free $((port + 1)) || fail "port $port or $((port + 1)) is in use (GENOMATRIX_SLURM_PORT)"
    return 0
  fi
  for ((port = 16817; port < 16917; port += 2)); do
    port_free "$port" && port_free $((port + 1)) && return 0
  done
  fail "no free pair of ports in 16817-16916: set GENOMATRIX_SLURM_PORT"
}

install_packages() {
  local missing=()
  command -v munged >/dev/null || missing+=(munge)
  command -v slurmctld >/dev/null || missing+=(slurmctld)
  command -v slurmd >/dev/null || missing+=(slurmd)
  command -v sbatch >/dev/null || missing+=(slurm-client)
  ((${#missing[@]})) || return 0
  say "installing ${missing[*]}"
  # Another apt run may hold the dpkg lock (e.g. a set-up still installing): wait for it.
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=900 update -qq
  apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends slurmctld slurmd slurm-client munge >/dev/null
}

write_conf() {
  local node host
  # The node as slurmd sees it: NodeName=... CPUs=... Boards=... RealMemory=...
  node=$(slurmd -C | head -n 1)
  [[ $node == NodeName=* ]] || fail "slurmd -C did not describe the node: $node"
  host=${node%% *}; host=${host#NodeName=}
  mkdir -p "$state/ctld" "$state/spool"
  : >"$state/plugstack.conf"
  cat >"$conf" <<EOF
# One-node cluster of scripts/slurm-cluster.sh (no systemd, no cgroups).
ClusterName=genomatrix
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$state/munge/munge.socket
StateSaveLocation=$state/ctld
SlurmdSpoolDir=$state/spool
SlurmctldPidFile=$state/slurmctld.pid
SlurmdPidFile=$state/slurmd.pid
SlurmctldLogFile=$state/slurmctld.log
SlurmdLogFile=$state/slurmd.log
PlugStackConfig=$state/plugstack.conf
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
# slurmctld writes one line per finished job: its CPUs, memory (TRES) and time limit.
JobCompType=jobcomp/filetxt
JobCompLoc=$state/jobcomp.log
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
DefMemPerCPU=1024
MailProg=/bin/true
# Ended jobs stay known to scontrol for 5 minutes (SLURM's default): Snakemake's --slurm executor asks
# scontrol for each job's state, without accounting, and a job forgotten before its turn fails the run.
MinJobAge=300
ReturnToService=2
$node NodeAddr=127.0.0.1 State=UNKNOWN
PartitionName=main Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
}

start_munge() {
  local dir=$state/munge
  mkdir -p "$dir"
  head -c 1024 /dev/urandom >"$dir/munge.key"
  chown -R munge:munge "$dir"
  chmod 0755 "$dir"
  chmod 0400 "$dir/munge.key"
  setpriv --reuid=munge --regid=munge --init-groups \
    munged --socket="$dir/munge.socket" --key-file="$dir/munge.key" --log-file="$dir/munged.log" \
    --seed-file="$dir/munged.seed" --pid-file="$dir/munged.pid"
  # munged writes its PID file as user munge; the cluster's PID files sit side by side.
  for _ in $(seq 50); do [[ -s $dir/munged.pid ]] && break; sleep 0.1; done
  cp "$dir/munged.pid" "$state/munged.pid"
}

wait_idle() {
  local _
  for _ in $(seq 300); do
    if [[ "$(SLURM_CONF=$conf sinfo -h -o %T 2>/dev/null)" == idle ]]; then return 0; fi
    sleep 0.1
  done
  return 1
}

up() {
  [[ $(id -u) == 0 ]] || fail "run as root (slurmd and munged's key need it)"
  if [[ -e $state ]]; then
    [[ -f $marker ]] || fail "$state exists and was not made by scripts/slurm-cluster.sh: left alone"
    if pid_of munged >/dev/null || pid_of slurmctld >/dev/null || pid_of slurmd >/dev/null; then
      fail "$state: the cluster is up already (scripts/slurm-cluster.sh down stops it)"
    fi
    say "$state was left by a run that ended without down, its daemons gone: made anew"
    rm -rf "$state"
  fi
  install_packages
  pick_port
  mkdir -p "$state"
  chmod 0755 "$state"
  echo "made by scripts/slurm-cluster.sh up; removed by down" >"$marker"
  trap 'say "failed to start; logs in $state"; down_daemons; exit 1' ERR
  write_conf
  start_munge
  slurmctld -c -f "$conf"
  slurmd -f "$conf"
  wait_idle || { say "the node did not become idle within 30 s"; false; }
  trap - ERR
  say "up: $(SLURM_CONF=$conf sinfo --version), node $(SLURM_CONF=$conf sinfo -h -N -o '%N %c CPUs %m MB %T')"
  echo "export SLURM_CONF=$conf"
}

down_daemons() {
  local i name pid _
  if pid_of slurmctld >/dev/null; then
    # The cluster's own jobs only: the commands read this cluster's slurm.conf.
    SLURM_CONF=$conf scancel --full --quiet $(SLURM_CONF=$conf squeue -h -o %i 2>/dev/null) 2>/dev/null || true
  fi
  for ((i = ${#daemons[@]} - 1; i >= 0; i--)); do
    name=${daemons[i]}
    pid=$(pid_of "$name") || continue
    kill -TERM "$pid" 2>/dev/null || continue
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then say "$name ($pid) did not stop within 10 s: killing it"; kill -KILL "$pid" 2>/dev/null || true; fi
  done
}

down() {
  [[ -e $state ]] || { say "not up ($state does not exist)"; return 0; }
  [[ -f $marker ]] || fail "$state was not made by scripts/slurm-cluster.sh: left alone"
  down_daemons
  rm -rf "$state"
  say "down"
}

status() {
  if [[ -f $marker ]] && pid_of slurmctld >/dev/null && pid_of slurmd >/dev/null && pid_of munged >/dev/null; then
    SLURM_CONF=$conf sinfo -N
    echo "export SLURM_CONF=$conf"
  else
    say "not up"
    return 1
  fi
}

case ${1:-} in
  up) up ;;
  down) down ;;
  status) status ;;
  *) echo "usage: $0 up|down|status" >&2; exit 2 ;;
esac
