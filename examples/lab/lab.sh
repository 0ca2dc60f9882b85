# shellcheck shell=bash
# The lab's building blocks, sourced by examples/lab/lab and bench/failover. A "switch" namespace
# with a bridge, nodes and a client on veth pairs, addresses in 10.99.0.0/24 and fd99::/64 only
# (the namespaces have no route anywhere else). Nodes run Baton (ARP provider) or keepalived.
#
# Before use set LAB_PREFIX (namespace prefix) and LAB_WORK (a folder for configs and logs).

LAB_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
LAB_VIP="${LAB_VIP:-10.99.0.50}"
LAB_PORT=7777

lab_say() { printf '\033[1m[lab %s]\033[0m %s\n' "$(date +%T.%3N)" "$*"; }

lab_ns() { echo "$LAB_PREFIX-$1"; }

# Removes every namespace of this prefix and whatever runs in it.
lab_cleanup() {
  local ns pid
  for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep "^$LAB_PREFIX-" || true); do
    for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$pid" 2>/dev/null || true; done
    ip netns del "$ns" 2>/dev/null || true
  done
}

lab_require() {
  [ "$(id -u)" -eq 0 ] || { echo "lab: network namespaces need root (sudo)" >&2; return 1; }
  command -v ip >/dev/null || { echo "lab: needs iproute2 (apt-get install iproute2)" >&2; return 1; }
  LAB_JAVA="$(BATON_PRINT_JAVA=1 "$LAB_ROOT/bin/baton")" || return 1
  local arp=0 agent=0
  ls -d "$LAB_ROOT"/plugins/baton-plugin-arp-*/ >/dev/null 2>&1 && arp=1
  # A source checkout runs core/target; the distribution archive ships lib/ and no mvnw.
  if [ -f "$LAB_ROOT/core/target/baton-core.jar" ] || ls "$LAB_ROOT"/lib/baton-core-*.jar >/dev/null 2>&1; then agent=1; fi
  [ "$arp" -eq 1 ] && [ "$agent" -eq 1 ] && return 0
  if [ ! -x "$LAB_ROOT/mvnw" ]; then
    echo "lab: the agent (lib/baton-core-*.jar) or the arp plugin (plugins/baton-plugin-arp-*) is missing from $LAB_ROOT" >&2
    return 1
  fi
  lab_say "building Baton (first run only)"
  (cd "$LAB_ROOT" && ./mvnw -q -B -DskipTests package) || return 1
}

lab_switch() {
  local sw; sw="$(lab_ns sw)"
  ip netns add "$sw"
  ip -n "$sw" link add br0 type bridge
  ip -n "$sw" link set br0 up
}

# lab_host NAME NUMBER: a host at 10.99.0.NUMBER / fd99::NUMBER, MAC 02:99:00:00:00:<NUMBER hex>.
lab_host() {
  local name="$1" n="$2" ns sw; ns="$(lab_ns "$name")"; sw="$(lab_ns sw)"
  ip netns add "$ns"
  ip -n "$sw" link add "p-$name" type veth peer name eth0 netns "$ns"
  ip -n "$sw" link set "p-$name" master br0 up
  ip -n "$ns" link set lo up
  ip -n "$ns" link set eth0 address "02:99:00:00:00:$(printf %02x "$n")" up
  ip -n "$ns" addr add "10.99.0.$n/24" dev eth0
  ip -n "$ns" addr add "fd99::$n/64" dev eth0 nodad
  echo "$n" > "$LAB_WORK/$name.number"
}

lab_number() { cat "$LAB_WORK/$1.number"; }

# lab_baton NAME PRIORITY INTERVAL PEER... : writes the node's config and starts Baton.
lab_baton() {
  local name="$1" prio="$2" interval="$3"; shift 3
  local n peers="" p; n="$(lab_number "$name")"
  for p in "$@"; do peers="$peers${peers:+, }10.99.0.$(lab_number "$p")"; done
  cat > "$LAB_WORK/$name.yaml" <<EOF
node: { name: $name }
instances:
  - name: web
    vrid: 51
    interface: eth0
    priority: $prio
    advert_interval: $interval
    source: 10.99.0.$n
    peers: [$peers]
    preempt: ${LAB_PREEMPT:-true}
    vips: [$LAB_VIP/24]
    providers:
      - type: arp
EOF
  echo baton > "$LAB_WORK/$name.impl"
  lab_start "$name"
}

# lab_keepalived NAME PRIORITY INTERVAL_SECONDS PEER... : keepalived 2.2 in the same role.
lab_keepalived() {
  local name="$1" prio="$2" interval="$3"; shift 3
  local n p; n="$(lab_number "$name")"
  {
    printf 'global_defs {\n    router_id lab-%s\n    vrrp_version 3\n}\n\n' "$name"
    printf 'vrrp_instance VI_1 {\n    state BACKUP\n    interface eth0\n    virtual_router_id 51\n'
    printf '    priority %s\n    advert_int %s\n    unicast_src_ip 10.99.0.%s\n    unicast_peer {\n' "$prio" "$interval" "$n"
    for p in "$@"; do printf '        10.99.0.%s\n' "$(lab_number "$p")"; done
    printf '    }\n'
    [ "${LAB_PREEMPT:-true}" = true ] || printf '    nopreempt\n'
    printf '    virtual_ipaddress {\n        %s/24 dev eth0\n    }\n}\n' "$LAB_VIP"
  } > "$LAB_WORK/$name.conf"
  echo keepalived > "$LAB_WORK/$name.impl"
  lab_start "$name"
}

# (Re)starts a node with the implementation and config it was given.
lab_start() {
  local name="$1" ns; ns="$(lab_ns "$name")"
  if [ "$(cat "$LAB_WORK/$name.impl")" = baton ]; then
    ip netns exec "$ns" "$LAB_ROOT/bin/baton" run -c "$LAB_WORK/$name.yaml" >> "$LAB_WORK/$name.log" 2>&1 &
  else
    # Fresh pid files, as after a reboot: a killed keepalived's leave it refusing to start.
    rm -f "$LAB_WORK/$name".pid[1-4]
    ip netns exec "$ns" keepalived -n -l -D -G -P -f "$LAB_WORK/$name.conf" -p "$LAB_WORK/$name.pid1" \
      -r "$LAB_WORK/$name.pid2" -c "$LAB_WORK/$name.pid3" -b "$LAB_WORK/$name.pid4" >> "$LAB_WORK/$name.log" 2>&1 &
  fi
  echo $! > "$LAB_WORK/$name.pid"
  disown $!   # a killed node is the point of the lab, not worth a shell message
}

# An echo server on a node: the client learns who holds the VIP from the answers.
lab_echo() {
  local name="$1"
  ip netns exec "$(lab_ns "$name")" "$LAB_JAVA" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC \
    "$LAB_ROOT/examples/lab/LabProbe.java" echo "$name" "$LAB_PORT" > "$LAB_WORK/$name.echo.log" 2>&1 &
  disown $!
}

# lab_probe CLIENT INTERVAL_MS [--until-change SECONDS]: the probe in the foreground.
lab_probe() {
  local client="$1" ms="$2"; shift 2
  ip netns exec "$(lab_ns "$client")" "$LAB_JAVA" -XX:+UseSerialGC \
    "$LAB_ROOT/examples/lab/LabProbe.java" probe "$LAB_VIP" "$LAB_PORT" "$ms" "$@"
}

# The state a node last logged (MASTER, BACKUP, FAULT, INIT), or "down".
lab_state() {
  local name="$1" s
  lab_alive "$name" || { echo down; return; }
  if [ "$(cat "$LAB_WORK/$name.impl")" = baton ]; then
    s="$(grep -oE 'instance web: [A-Z]+ -> [A-Z]+' "$LAB_WORK/$name.log" 2>/dev/null | tail -1 | awk '{print $NF}')"
  else
    s="$(grep -oE 'Entering [A-Z]+ STATE' "$LAB_WORK/$name.log" 2>/dev/null | tail -1 | awk '{print $2}')"
  fi
  echo "${s:-INIT}"
}

# Running, and not a zombie: a killed node we started in the background may wait to be reaped.
lab_alive() {
  local pid st
  [ -f "$LAB_WORK/$1.pid" ] || return 1
  pid="$(cat "$LAB_WORK/$1.pid")"
  st="$(ps -o stat= -p "$pid" 2>/dev/null)" || return 1
  [ -n "$st" ] && [ "${st:0:1}" != Z ]
}

# Whether the VIP is on the node's interface.
lab_has_vip() { ip -n "$(lab_ns "$1")" -o addr show dev eth0 | grep -q " $LAB_VIP/"; }

# lab_wait_master NODE... : waits (30 s at most) until one of them is master; prints its name.
lab_wait_master() {
  local i n
  for i in $(seq 1 300); do
    for n in "$@"; do
      if [ "$(lab_state "$n")" = MASTER ]; then echo "$n"; return 0; fi
    done
    sleep 0.1
  done
  return 1
}

# lab_sole_master NODE... : waits (30 s at most) until exactly one of them is master; prints its
# name. Right after a start or a failure two nodes may both say MASTER for a moment (a slow node
# preempting, a backup whose timer fired together with another's); a demo must not pick either.
lab_sole_master() {
  local i n masters
  for i in $(seq 1 300); do
    masters=()
    for n in "$@"; do [ "$(lab_state "$n")" = MASTER ] && masters+=("$n"); done
    if [ "${#masters[@]}" -eq 1 ]; then echo "${masters[0]}"; return 0; fi
    sleep 0.1
  done
  return 1
}

# Failure modes. crash: the process dies and the machine drops off the network (the VIP stays on
# its interface, as on a dead machine); stop: SIGTERM; linkdown: the node's cable is pulled.
lab_crash() {
  local name="$1" pid
  pid="$(cat "$LAB_WORK/$name.pid")"
  # The process first: with the cable out first, its link watch could see no carrier and release
  # the VIP before the kill, which no crashed machine does. The whole process tree: keepalived
  # runs its VRRP work in a child even with -n.
  pkill -9 -P "$pid" 2>/dev/null || true
  kill -9 "$pid" 2>/dev/null || true
  ip -n "$(lab_ns sw)" link set "p-$name" down
}
lab_stop() { kill -TERM "$(cat "$LAB_WORK/$1.pid")" 2>/dev/null || true; }
lab_linkdown() { ip -n "$(lab_ns sw)" link set "p-$1" down; }
lab_linkup() { ip -n "$(lab_ns sw)" link set "p-$1" up; }

# Brings a failed node back: cable in, process running.
lab_restore() {
  local name="$1"
  lab_linkup "$name"
  lab_alive "$name" || lab_start "$name"
}
