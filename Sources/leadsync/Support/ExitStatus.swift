import ArgumentParser
import LeadSyncCore
import LeadSyncExchange
import LeadSyncHub
import LeadSyncImport
import LeadSyncNetwork
import LeadSyncProtocol
import LeadSyncStore

/// How `leadsync` ends, in the spirit of sysexits(3), so scripts can tell "retry later" from "fix
/// something first" (Docs/cli-json.md lists them). The ONE place that maps errors to statuses.
enum ExitStatus: Int32, CaseIterable {
    /// Any other failure.
    case failure = 1
    /// The command was used wrongly: unknown option, missing or malformed argument.
    case usage = 64
    /// The input data was wrong: an invalid value, a file that does not parse.
    case dataError = 65
    /// Something named does not exist: a lead id, a replica, a hub home, an input file.
    case notFound = 66
    /// The hub could not be reached at all: retry later (check the address and the network).
    case unavailable = 69
    /// Reading or writing a local file failed (a full disk, a damaged database).
    case ioError = 74
    /// A temporary failure: the hub is busy, shutting down, timed out or the connection dropped.
    case temporaryFailure = 75
    /// The hub and this replica disagree on the protocol (update leadsync).
    case protocolError = 76
    /// The hub refused this replica: its token is wrong or revoked.
    case permissionDenied = 77
    /// Something is not configured: no hub address or token (see `leadsync config`).
    case configuration = 78

    /// Whether running the same command again later can succeed without changing anything.
    var isTemporary: Bool { self == .unavailable || self == .temporaryFailure }

    /// The exit status for an error the command threw.
    static func of(_ error: any Error) -> ExitStatus {
        switch error {
        case let error as CLIError: error.status
        case let error as SyncError: of(error)
        case let error as StoreError: of(error)
        case is LeadError, is IdentityError, is ExchangeError: .dataError
        case let error as ImportError:
            switch error {
            case .cannotRead: .notFound
            case .exchange, .rejectedFile: .dataError
            case .mappingNeedsCSV: .usage
            case .store(let error): of(error)
            }
        case let error as CaptureError:
            switch error {
            case .payload, .invalid, .duplicate: .dataError
            case .store(let error): of(error)
            }
        case let error as ExportError:
            switch error {
            case .cannotWrite: .ioError
            case .format: .dataError
            }
        case let error as RegistryError:
            switch error {
            case .unknownNode, .notAHub: .notFound
            case .nodeExists, .reservedNode, .alreadyInitialized: .dataError
            case .database: .ioError
            }
        case let error as HubBackupError:
            switch error {
            case .destinationExists: .usage
            case .notABackup, .damagedBackup: .dataError
            case .noCurrentRegistry: .configuration
            case .failed, .restoreFailed: .ioError
            }
        default: .failure
        }
    }

    static func of(_ error: StoreError) -> ExitStatus {
        switch error {
        case .notInitialized, .unknownLead: .notFound
        case .alreadyInitialized, .ambiguousPrefix: .usage
        case .invalidInput, .seqGap, .missingDependency, .unknownRecord, .foreignOrigin: .dataError
        case .corrupt, .database, .diskFull: .ioError
        }
    }

    static func of(_ error: SyncError) -> ExitStatus {
        switch error {
        case .notAReplica: .notFound
        case .noHubConfigured, .noTokenConfigured: .configuration
        case .invalidHubAddress: .usage
        case .unreachable: .unavailable
        case .refused(let error):
            switch error.code {
            case .unauthorized, .revoked: .permissionDenied
            case .protocolMismatch: .protocolError
            case .tlsRequired, .clockAhead: .configuration
            case .busy, .shuttingDown, .timeout, .internal: .temporaryFailure
            default: .failure
            }
        case .protocolViolation: .protocolError
        case .connectionLost: .temporaryFailure
        case .cutOff: .failure
        case .localWriteFailed(let error, _): of(error)
        case .store(let error): of(error)
        case .noTrustConfigured, .tls, .hubNotTLS, .hubRequiresTLS: .configuration
        case .fingerprintMismatch, .untrustedCertificate: .permissionDenied
        case .tlsFailed: .unavailable
        }
    }

    /// What `sync` adds to its error line: whether retrying helps.
    var retryAdvice: String {
        isTemporary
            ? "[exit \(rawValue): temporary, retrying later can help]"
            : "[exit \(rawValue): retrying will not help until this is fixed]"
    }
}
