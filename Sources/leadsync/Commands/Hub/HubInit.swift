import Foundation
import ArgumentParser
import LeadSyncHub

struct HubInit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init", abstract: "Create a hub in --home.")

    @OptionGroup var home: HubHomeOptions

    func run() async throws {
        let hub = try HubHome.initialize(at: home.directory)
        let id = try hub.openRegistry().hubID()
        print("initialised hub \(id) in \(hub.directory.path)")
    }
}
