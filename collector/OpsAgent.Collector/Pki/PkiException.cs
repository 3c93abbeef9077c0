namespace OpsAgent.Collector.Pki;

/// <summary>
/// The collector's keys or certificates are missing, unreadable or damaged in a way it must not repair by itself
/// (a new CA or command key would silently cut off every enrolled agent); the message names the file and the fix.
/// </summary>
internal sealed class PkiException(string message, Exception? inner = null) : Exception(message, inner);
