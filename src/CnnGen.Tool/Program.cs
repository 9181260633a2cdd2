using System;
using CnnGen.Tool;

return Cli.Run(args, Console.Out, Console.Error);
