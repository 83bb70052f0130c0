import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Child processes started with posix_spawn and reaped with waitpid: exits are never missed
/// (Foundation's `Process` can miss a child's exit and wait forever).
public enum Subprocess {
    /// Starts `executable` with `arguments` and `environment` (the whole environment), output appended
    /// to `logFile` (or discarded); returns the pid.
    public static func spawn(
        _ executable: String, _ arguments: [String], environment: [String: String],
        logFile: String? = nil
    ) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        let target = logFile ?? "/dev/null"
        posix_spawn_file_actions_addopen(&actions, 1, target, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        // Like a shell would: no blocked signals and default handlers in the child (threads of this
        // process block or ignore some, and an Erlang VM, for one, fails with them).
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t(), allSignals = sigset_t()
        sigemptyset(&noSignals)
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard rc == 0 else { throw TestEnvironment.Missing(description: "cannot start \(executable): error \(rc)") }
        return pid
    }

    /// Waits for `pid` to exit and returns its status (128 + signal when killed).
    public static func wait(_ pid: pid_t) async -> Int32 {
        while true {
            if let status = poll(pid) { return status }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    /// The exit status when `pid` has exited (reaping it), `nil` while it runs.
    public static func poll(_ pid: pid_t) -> Int32? {
        var status: Int32 = 0
        let rc = waitpid(pid, &status, WNOHANG)
        guard rc == pid else { return rc < 0 ? -1 : nil }
        if status & 0x7f == 0 { return (status >> 8) & 0xff }  // exited
        return 128 + (status & 0x7f)  // killed by a signal
    }

    /// Runs a command to completion; returns its exit status.
    public static func run(
        _ executable: String, _ arguments: [String], environment: [String: String] = ProcessInfo.processInfo.environment,
        logFile: String? = nil
    ) async throws -> Int32 {
        await wait(try spawn(executable, arguments, environment: environment, logFile: logFile))
    }
}
