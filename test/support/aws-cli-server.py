# The AWS CLI (v1), started once and forked for each `aws` command of a docs walk (see warm-aws-cli.ts).
#
# An `aws` command spends most of its CPU importing awscli and botocore (0.5 of 0.8 CPU seconds); here they are
# imported once, and each command runs in a fork of this process as the `aws` script runs it (awscli.clidriver.main
# with the command's argv), with the caller's environment, working directory, stdin, stdout and stderr, and its exit
# code back. Everything a command does after its imports (reading its config, loading its service model, the request,
# the output) it does itself, as a fresh `aws` would. A command whose environment differs from this process's in what
# Python or the imports read (the locale, PYTHON*, AWS_DATA_PATH) runs as a fresh `aws` instead.
#
# Usage: python aws-cli-server.py SOCKET AWS  (AWS: the `aws` it stands for; prints "ready" once it listens)
import json
import os
import signal
import socket
import struct
import subprocess
import sys
import traceback


def script_env(env):
    """What the `aws` script does to its environment before it imports awscli."""
    if env.get('LC_CTYPE', '') == 'UTF-8':
        env['LC_CTYPE'] = 'en_US.UTF-8'
    return env


BEFORE = script_env(dict(os.environ))
os.environ.update(BEFORE)

import awscli.clidriver  # noqa: E402
import awscli.handlers  # noqa: E402,F401  (the customizations every command loads)

AFTER = dict(os.environ)


def read_at_startup(name):
    return name in ('AWS_DATA_PATH', 'LANG', 'LANGUAGE') or name.startswith(('LC_', 'PYTHON'))


def same_startup(env):
    """Whether a fresh `aws` in this environment would start as this process did."""
    names = {name for name in (*env, *BEFORE) if read_at_startup(name)}
    return all(env.get(name) == BEFORE.get(name) for name in names)


def run_command(conn, script):
    """In the fork: take the command, become its process, run it, and answer its exit code."""
    size = struct.unpack('!I', conn.recv(4, socket.MSG_WAITALL))[0]
    msg, fds, _flags, _addr = socket.recv_fds(conn, size, 3, socket.MSG_WAITALL)
    while len(msg) < size:
        msg += conn.recv(size - len(msg))
    request = json.loads(msg)
    for target, fd in enumerate(fds):
        os.dup2(fd, target)
        os.close(fd)
    os.chdir(request['cwd'])
    env = script_env(dict(request['env']))
    if not same_startup(env):
        code = subprocess.run([script, *request['argv'][1:]], env=request['env']).returncode
        conn.sendall(struct.pack('!i', code))
        return
    # The imports' own changes (awscli adds its data folder to AWS_DATA_PATH), as they made them here.
    env.update({name: value for name, value in AFTER.items() if BEFORE.get(name) != value})
    os.environ.clear()
    os.environ.update(env)
    sys.argv = request['argv']
    try:
        code = awscli.clidriver.main()
    except SystemExit as exit:
        code = exit.code
    if code is None:
        code = 0
    elif not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:
            pass
    conn.sendall(struct.pack('!i', code))


def reap(options):
    try:
        while os.waitpid(-1, options)[0]:
            pass
    except ChildProcessError:
        pass


def main():
    path, script = sys.argv[1:3]
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(path)
    server.listen(64)
    # Forks are waited for (each answers its caller itself), so that their CPU time counts as this process's
    # children's, as a fresh `aws`'s would count as its caller's; on SIGTERM, once the running ones are done.
    signal.signal(signal.SIGCHLD, lambda *_: reap(os.WNOHANG))
    signal.signal(signal.SIGTERM, lambda *_: (reap(0), sys.exit(0)))
    print('ready', flush=True)
    while True:
        conn, _ = server.accept()
        if os.fork() == 0:
            server.close()
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            signal.signal(signal.SIGINT, signal.default_int_handler)
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            try:
                run_command(conn, script)
            except BaseException:
                traceback.print_exc()
            finally:
                os._exit(0)
        conn.close()


main()
