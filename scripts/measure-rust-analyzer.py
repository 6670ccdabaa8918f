#!/usr/bin/env python3
"""Time to rust-analyzer's first diagnostics in a work file, as an editor would see it.

Starts `rust-analyzer` as a language server on the repository, with the settings VS Code sends
from .vscode/settings.json, opens FILE and waits for the first non-empty diagnostics published
for it (rust-analyzer's own analysis first, then `cargo check`'s).

    scripts/measure-rust-analyzer.py work/foundations/arrays.rs [TIMEOUT_SECONDS]

Put an error in FILE first (e.g. `let n: usize = "x";`): a correct file gets no diagnostics.
"""
import json
import os
import queue
import re
import subprocess
import sys
import threading
import time

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
file = os.path.join(root, sys.argv[1])
timeout = float(sys.argv[2]) if len(sys.argv) > 2 else 300
with open(os.path.join(root, ".vscode", "settings.json")) as f:
    settings = json.loads(re.sub(r"^\s*//.*$", "", f.read(), flags=re.M))
options = {"linkedProjects": settings["rust-analyzer.linkedProjects"]}

server = subprocess.Popen(
    ["rust-analyzer"], cwd=root, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
    stderr=subprocess.DEVNULL,
)


def send(message):
    body = json.dumps(message).encode()
    server.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    server.stdin.flush()


messages = queue.Queue()


def read():
    while True:
        length = None
        while True:
            line = server.stdout.readline()
            if not line:
                messages.put(None)
                return
            line = line.decode().strip()
            if not line:
                break
            name, value = line.split(":", 1)
            if name.lower() == "content-length":
                length = int(value)
        messages.put(json.loads(server.stdout.read(length)))


threading.Thread(target=read, daemon=True).start()
uri = "file://" + file
start = time.time()
send({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
    "processId": os.getpid(), "rootUri": "file://" + root,
    "initializationOptions": options,
    "capabilities": {"textDocument": {"publishDiagnostics": {}}},
}})
# rust-analyzer's own diagnostics have the source "rust-analyzer", cargo check's "rustc".
found = {}
while time.time() - start < timeout and len(found) < 2:
    try:
        message = messages.get(timeout=1)
    except queue.Empty:
        continue
    if message is None:
        break
    if message.get("id") == 1 and "result" in message:
        send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
        with open(file) as f:
            send({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
                "uri": uri, "languageId": "rust", "version": 1, "text": f.read()}}})
    elif "id" in message and "method" in message:
        send({"jsonrpc": "2.0", "id": message["id"], "result": None})
    elif message.get("method") == "textDocument/publishDiagnostics":
        params = message["params"]
        for diagnostic in params["diagnostics"] if params["uri"] == uri else []:
            source = diagnostic.get("source", "?")
            if source not in found:
                found[source] = time.time() - start
                print(f"{found[source]:5.1f} s  {source}: line "
                      f"{diagnostic['range']['start']['line'] + 1}: "
                      f"{diagnostic['message'].splitlines()[0]}")
# A clean exit: killed mid-check, rust-analyzer would leave its `cargo check` running.
send({"jsonrpc": "2.0", "id": 2, "method": "shutdown"})
send({"jsonrpc": "2.0", "method": "exit"})
try:
    server.wait(timeout=30)
except subprocess.TimeoutExpired:
    server.kill()
if not found:
    sys.exit(f"no diagnostics for {sys.argv[1]} within {timeout:.0f} s")
