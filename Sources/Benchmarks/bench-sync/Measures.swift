import Foundation

// What the benchmark reads about time, processes and files.

func seconds(since start: ContinuousClock.Instant) -> Double {
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
}

/// CPU time of the calling thread: steadier than wall time on a machine shared with other builds.
func threadCPUSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

/// CPU time of the whole process (every thread), user and system.
func processCPUSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

/// CPU time, user and system, of another process (fields 14 and 15 of `/proc/PID/stat`).
func processCPUSeconds(pid: pid_t) -> Double {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
          let end = stat.lastIndex(of: ")") else { return .nan }
    // Fields after the command name (which may hold spaces), starting with field 3.
    let fields = stat[stat.index(after: end)...].split(separator: " ")
    guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return .nan }
    return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
}

/// Peak resident memory of another process (`VmHWM` in `/proc/PID/status`), in MiB.
func peakMemoryMiB(pid: pid_t) -> Double {
    guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
          let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
          let kib = Double(line.split(separator: " ", omittingEmptySubsequences: true)[1]) else { return .nan }
    return kib / 1024
}

/// The machine's load averages over 1, 5 and 15 minutes (`/proc/loadavg`), as printed there.
func loadAverages() -> String {
    guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return "unknown" }
    return text.split(separator: " ").prefix(3).joined(separator: " ")
}

/// Bytes a SQLite database takes on disk: its main file and its write-ahead log, if any.
func databaseBytes(_ path: String) -> Int {
    [path, path + "-wal"].reduce(0) { total, file in
        let size = (try? FileManager.default.attributesOfItem(atPath: file))?[.size] as? Int
        return total + (size ?? 0)
    }
}

/// The nice value this process started with, which the hub process inherited.
let startingNice = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)

/// Lowers the scheduling priority of every thread of this process to 10 below the one it started
/// with (the hub's); threads started later inherit it from the thread that starts them. (Linux
/// keeps a nice value per thread, and lowering one's own priority needs no privilege.)
func lowerOwnPriority() {
    let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
    for task in tasks.compactMap({ id_t($0) }) {
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), task, min(startingNice + 10, 19))
    }
}
