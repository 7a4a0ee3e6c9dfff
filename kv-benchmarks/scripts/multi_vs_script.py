#!/usr/bin/env python3
"""What a put costs Redis' main thread as a script, as a MULTI and as plain commands.

Sends each variant of a 100-byte put 10,000 times, one round trip each, and reads Redis' main-thread
CPU time (INFO cpu) before and after. Usage: multi_vs_script.py [port] (default 6390).
It writes keys bench:0..63 and flushes the Redis at the end: use a throwaway redis-server.
"""
import sys
import socket, hashlib
PUT = """local old = redis.call('HGET', KEYS[1], 'b')
local oldTtl
if old and old ~= KEYS[2] then
  oldTtl = redis.call('PTTL', old)
end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'v', ARGV[1], 'n', '100')
return 1"""
def enc(*args):
    out = b"*%d\r\n" % len(args)
    for a in args:
        if isinstance(a, str): a = a.encode()
        out += b"$%d\r\n%s\r\n" % (len(a), a)
    return out
PORT = int(sys.argv[1]) if len(sys.argv) > 1 else 6390
s = socket.create_connection(("127.0.0.1", PORT))
f = s.makefile("rb")
def reply():
    line = f.readline()
    t = line[:1]
    if t == b"$":
        n = int(line[1:])
        if n >= 0: f.read(n + 2)
    elif t == b"*":
        for _ in range(int(line[1:])): reply()
    return line
def cmd(*a):
    s.sendall(enc(*a)); return reply()
def cpu():
    s.sendall(enc("INFO", "cpu")); line = f.readline(); n = int(line[1:]); data = f.read(n + 2).decode()
    v = 0.0
    for l in data.splitlines():
        if l.startswith("used_cpu_sys_main_thread") or l.startswith("used_cpu_user_main_thread"): v += float(l.split(":")[1])
    return v
cmd("SCRIPT", "LOAD", PUT)
sha = hashlib.sha1(PUT.encode()).hexdigest()
val = b"x" * 100
batches = {
  "SET": lambda k: [enc("SET", k, val)],
  "EVALSHA put script": lambda k: [enc("EVALSHA", sha, "2", k, "none", val)],
  "MULTI HGET DEL HSET EXEC": lambda k: [enc("MULTI"), enc("HGET", k, "b"), enc("DEL", k), enc("HSET", k, "v", val, "n", "100"), enc("EXEC")],
  "HSET": lambda k: [enc("HSET", k, "v", val, "n", "100")],
}
# The variants take turns in blocks, so that all of them see the same drift of the machine.
ROUNDS, BLOCK = 40, 250
spent = {name: 0.0 for name in batches}
for rnd in range(ROUNDS):
    for name, b in batches.items():
        before = cpu()
        for i in range(BLOCK):
            parts = b("bench:%d" % (i % 64))
            s.sendall(b"".join(parts))
            for _ in parts: reply()
        spent[name] += cpu() - before
for name in batches:
    print("%-28s %.1f us of Redis main thread per op" % (name, spent[name] * 1e6 / (ROUNDS * BLOCK)))
cmd("FLUSHALL")
