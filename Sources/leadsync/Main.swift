import ArgumentParser
import NIOCore
import NIOPosix
import NIOExtras
import Crypto
import Logging
import LeadSyncStore
@main struct Main { static func main() {} }
