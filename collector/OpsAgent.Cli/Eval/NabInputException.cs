namespace OpsAgent.Cli.Eval;

/// <summary>Bad evaluation input: the message names the file (and line) and says what is wrong with it.</summary>
internal sealed class NabInputException(string message, Exception? inner = null) : Exception(message, inner);
