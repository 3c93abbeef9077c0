namespace OpsAgent.Cli.Connection;

/// <summary>Opens a channel to the collector; the seam through which tests and later transports plug in.</summary>
internal interface ICollectorChannelFactory
{
    /// <summary>Opens a channel for one command. The caller disposes it when the command ends.</summary>
    CollectorChannel Open(ConnectionSettings settings);
}
