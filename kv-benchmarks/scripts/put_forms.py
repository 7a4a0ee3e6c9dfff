#!/usr/bin/env python3
"""What each way of writing a put or a delete costs Redis' main thread.

For a value of the given size, sends every form of a put (and of a delete) that the design
considered, 6,000 times each, one round trip each, the forms taking turns in blocks of 200 so
that all of them see the same drift of the machine, and reads the CPU time of Redis' main
thread (INFO cpu) around every block. Prints microseconds per operation; they include reading
the request and writing the reply, as a busy Redis pays them.

Usage: put_forms.py [port] [size]   (defaults: 6390, 100)
It writes keys under kv:b: and s: and flushes the Redis at the end (FUNCTION FLUSH too): run it
against a throwaway redis-server (7.0 or later, for FCALL), e.g.
  redis-server --port 6390 --save '' --appendonly no --daemonize yes
"""
import hashlib
import socket
import struct
import sys

PORT = int(sys.argv[1]) if len(sys.argv) > 1 else 6390
SIZE = int(sys.argv[2]) if len(sys.argv) > 2 else 100
ROUNDS, BLOCK = 30, 200


def enc(*args):
    out = b"*%d\r\n" % len(args)
    for a in args:
        if isinstance(a, str):
            a = a.encode("latin-1")
        out += b"$%d\r\n%s\r\n" % (len(a), a)
    return out


sock = socket.create_connection(("127.0.0.1", PORT))
replies = sock.makefile("rb")


def reply():
    line = replies.readline()
    kind = line[:1]
    if kind == b"-":
        raise RuntimeError(line.decode().strip())
    if kind == b"$" and int(line[1:]) >= 0:
        replies.read(int(line[1:]) + 2)
    elif kind == b"*":
        for _ in range(max(0, int(line[1:]))):
            reply()
    return line


def cmd(*args):
    sock.sendall(enc(*args))
    return reply()


def main_thread_cpu():
    sock.sendall(enc("INFO", "cpu"))
    n = int(replies.readline()[1:])
    info = replies.read(n + 2).decode()
    return sum(float(line.split(":")[1]) for line in info.splitlines()
               if line.startswith(("used_cpu_sys_main_thread", "used_cpu_user_main_thread")))


# --- RESTORE: a hash in Redis' DUMP format (RDB type 4, RDB version 9, CRC-64/Jones) ---
CRC_TABLE = []
for i in range(256):
    c = i
    for _ in range(8):
        c = (c >> 1) ^ 0x95AC9329AC4BC9B5 if c & 1 else c >> 1
    CRC_TABLE.append(c)


def crc64(data):
    crc = 0
    for b in data:
        crc = CRC_TABLE[(crc ^ b) & 0xFF] ^ (crc >> 8)
    return crc


def rdb_length(n):
    if n < 64:
        return bytes([n])
    if n < 16384:
        return bytes([0x40 | (n >> 8), n & 0xFF])
    return b"\x80" + struct.pack(">I", n)


def dump_of_hash(pairs):
    body = bytes([4]) + rdb_length(len(pairs))
    for field, value in pairs:
        body += rdb_length(len(field)) + field + rdb_length(len(value)) + value
    body += struct.pack("<H", 9)
    return body + struct.pack("<Q", crc64(body))


# --- the put and delete scripts (mode 'none'): until session 3 they read the old entry's blob
# reference first, to let a replaced blob expire; since then an entry is one key ---
READ_OLD_BLOB = """local old = redis.call('HGET', KEYS[1], 'b')
local oldTtl
if old and old ~= KEYS[2] then oldTtl = redis.call('PTTL', old) end
"""
EXPIRE_OLD_BLOB = "if oldTtl and (oldTtl == -1 or oldTtl > 300000) then redis.call('PEXPIRE', old, 300000) end\n"
PUT = """redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'v', ARGV[1], 'n', string.format('%d', string.len(ARGV[1])))
return 1"""
PUT_STAGED = """redis.call('RENAME', KEYS[2], KEYS[1])
redis.call('PERSIST', KEYS[1])
return 1"""
OLD_PUT = READ_OLD_BLOB + PUT.replace("return 1", EXPIRE_OLD_BLOB + "return 1")
OLD_PUT_STAGED = READ_OLD_BLOB + PUT_STAGED.replace("return 1", EXPIRE_OLD_BLOB + "return 1")
DELETE = READ_OLD_BLOB + "redis.call('DEL', KEYS[1])\n" + EXPIRE_OLD_BLOB + "return 1"
EMPTY = "return 1"
sha = {}
for name, source in (("put", PUT), ("staged", PUT_STAGED), ("old put", OLD_PUT), ("old staged", OLD_PUT_STAGED),
                     ("delete", DELETE), ("empty", EMPTY)):
    cmd("SCRIPT", "LOAD", source)
    sha[name] = hashlib.sha1(source.encode()).hexdigest()
cmd("FUNCTION", "LOAD", "REPLACE", "#!lua name=kvforms\nredis.register_function('kvdelete', function(KEYS, ARGV)\n"
    + DELETE + "\nend)")

value = b"x" * SIZE
length = str(SIZE)
payload = dump_of_hash([(b"v", value), (b"n", length.encode())])
counter = [0]


def staged_key():
    counter[0] += 1
    return "kv:b:\xff{x}%d" % counter[0]


def staged(key, script):
    t = staged_key()
    return [enc("HSET", t, "v", value, "n", length), enc("PEXPIRE", t, "600000"), enc("EVALSHA", sha[script], "2", key, t)]


FORMS = {
    "put: SET (the baseline)": lambda k: [enc("SET", "s:" + k, value)],
    "put: HSET v n": lambda k: [enc("HSET", k, "v", value, "n", length)],
    "put: RESTORE REPLACE of the hash": lambda k: [enc("RESTORE", k, "0", payload, "REPLACE")],
    "put: MULTI DEL HSET EXEC": lambda k: [enc("MULTI"), enc("DEL", k), enc("HSET", k, "v", value, "n", length), enc("EXEC")],
    "put: EVALSHA, value as argument": lambda k: [enc("EVALSHA", sha["put"], "1", k, value)],
    "put: EVALSHA, before session 3": lambda k: [enc("EVALSHA", sha["old put"], "1", k, value)],
    "put: staged (HSET, PEXPIRE, EVALSHA)": lambda k: staged(k, "staged"),
    "put: staged, before session 3": lambda k: staged(k, "old staged"),
    "put: HSET, PEXPIRE, empty EVALSHA": lambda k: staged(k, "empty"),
    "delete: DEL": lambda k: [enc("HSET", k, "v", "x"), enc("DEL", k)],
    "delete: EVALSHA (before session 3)": lambda k: [enc("HSET", k, "v", "x"), enc("EVALSHA", sha["delete"], "1", k)],
    "delete: FCALL (before session 3)": lambda k: [enc("HSET", k, "v", "x"), enc("FCALL", "kvdelete", "1", k)],
}

spent = {name: 0.0 for name in FORMS}
for _ in range(ROUNDS):
    for name, form in FORMS.items():
        before = main_thread_cpu()
        for i in range(BLOCK):
            parts = form("kv:b:%d" % (i % 64))
            sock.sendall(b"".join(parts))
            for _ in parts:
                reply()
        spent[name] += main_thread_cpu() - before
print("value of %d bytes; Redis main-thread CPU per operation (the delete forms include an HSET first)" % SIZE)
for name, seconds in spent.items():
    print("%-40s %6.1f us" % (name, seconds * 1e6 / (ROUNDS * BLOCK)))
cmd("FLUSHALL")
cmd("FUNCTION", "FLUSH")
