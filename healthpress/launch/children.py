"""Child processes started together and stopped together, whatever stops the launcher.

Both launchers (`devserver` for `make run`, `serve` for `make serve`) start a web server and the
task worker. Ctrl-C reaches every process of the terminal's job, but `kill` (SIGTERM) or a closed
terminal (SIGHUP) may reach the launcher alone, and a launcher that simply died then left its
children serving on: they are its children, so it stops them.

    with Children() as children:
        worker = children.start([...])
        web = children.start([...])
        if web is not None:
            web.wait()

Inside the block SIGINT, SIGTERM and SIGHUP are handled from its first line, before any child
exists: each sends every child started so far its stop signal (once) and keeps any more from
starting (`start` then returns None), so a launcher signalled while it is still starting its
children leaves none behind. Leaving the block stops the children still running, waits for them
and kills any still there after `grace` seconds. A child that starts children of its own (Django's
autoreloader, granian's workers) stops them when it is stopped.
"""

import signal
import subprocess
import time

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class Children:
    def __init__(self, stop_signal=signal.SIGTERM, grace=10.0):
        self.stop_signal = stop_signal
        self.grace = grace
        self.processes = []
        self.stopped_by = None  # the signal that stopped the launcher, if one did
        self._signalled = set()  # pids already sent the stop signal
        self._previous = {}

    @property
    def stopping(self):
        return self.stopped_by is not None

    def __enter__(self):
        for signum in STOP_SIGNALS:
            self._previous[signum] = signal.signal(signum, self._on_signal)
        return self

    def __exit__(self, *exc_info):
        try:
            self.stop_all()
            self._reap()
        finally:
            for signum, handler in self._previous.items():
                signal.signal(signum, handler)
        return False

    def _on_signal(self, signum, frame):
        if self.stopped_by is None:
            self.stopped_by = signum
        self.stop_all()

    def start(self, args, **popen_kwargs):
        """Start a child; None once a stop signal has come."""
        if self.stopping:
            return None
        process = subprocess.Popen(args, **popen_kwargs)
        self.processes.append(process)
        if self.stopping:  # the signal came while Popen ran, before the child was in the list
            self._stop(process)
        return process

    def run(self, args, **popen_kwargs):
        """Start a child and wait for it, like subprocess.run(); None once a stop signal has
        come. `stdout=subprocess.PIPE` captures its output (CompletedProcess.stdout)."""
        process = self.start(args, **popen_kwargs)
        if process is None:
            return None
        stdout, stderr = process.communicate()
        return subprocess.CompletedProcess(args, process.returncode, stdout, stderr)

    def exit_status(self, returncode):
        """The launcher's exit status for a child's return code: 0 once a stop signal came (a
        stop asked for is a success), else the child's own; 128 + N for a child killed by signal
        N, as a shell reports it (Popen gives -N, which sys.exit() would turn into 255)."""
        if self.stopping:
            return 0
        return 128 - returncode if returncode < 0 else returncode

    def stop_all(self):
        for process in list(self.processes):
            self._stop(process)

    def _stop(self, process):
        # Called from the signal handler too: Popen.poll() never blocks there (it gives up when
        # the main thread is inside wait()), and each child is signalled once, because a second
        # signal means "stop at once" to some (django-tasks' worker).
        if process.pid in self._signalled or process.poll() is not None:
            return
        self._signalled.add(process.pid)
        process.send_signal(self.stop_signal)

    def _reap(self):
        deadline = time.monotonic() + self.grace
        for process in self.processes:
            try:
                process.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
