namespace CnnGen.Generator.Shapes;

/// <summary>The window a conv was declared with, for a conv whose kernel runs on part of it (see <c>Emit.DeadTaps</c>).</summary>
/// <param name="KernelWidth">The declared window's width.</param>
/// <param name="KernelHeight">The declared window's height.</param>
/// <param name="FirstColumn">The first kept column of taps.</param>
/// <param name="FirstRow">The first kept row of taps.</param>
/// <param name="Columns">How many columns of taps are kept.</param>
/// <param name="Rows">How many rows of taps are kept.</param>
/// <remarks>In the declared orientation, the weights' own: a network turned on its side (<c>Emit.ColumnNetwork</c>) keeps it as it is.</remarks>
internal readonly record struct DeclaredWindow(int KernelWidth, int KernelHeight, int FirstColumn, int FirstRow, int Columns, int Rows);
