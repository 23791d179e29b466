import Foundation

/// A fresh directory under the system temp dir, removed when the value is deinitialised. Private
/// (0700) like the homes `leadsync` creates, so using it as a home draws no permission warning.
public final class TemporaryDirectory: Sendable {
    public let url: URL

    public init(_ label: String = "leadsync") throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(
            at: url, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    }

    public var path: String { url.path }

    public func appending(_ component: String) -> URL { url.appendingPathComponent(component) }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }
}
