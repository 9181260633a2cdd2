namespace CnnGen.Generator.Shapes;

/// <summary>The window a conv was declared with, for a conv whose kernel runs on part of it (see <c>Emit.DeadTaps</c>).</summary>
/// <param name="KernelWidth">The declared window's width.</param>
/// <param name="KernelHeight">The declared window's height.</param>
/// <param name="FirstColumn">The first kept column of taps.</param>
/// <param name="FirstRow">The first kept row of taps.</param>
internal readonly record struct DeclaredWindow(int KernelWidth, int KernelHeight, int FirstColumn, int FirstRow);
