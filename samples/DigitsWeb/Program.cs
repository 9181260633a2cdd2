using System.Runtime.InteropServices.JavaScript;
using DigitsWeb;
using Microsoft.AspNetCore.Components.WebAssembly.Hosting;

[assembly: System.Runtime.Versioning.SupportedOSPlatform("browser")]

// A static WebAssembly app: no server code. The page's script (wwwroot/digits.js) draws; .NET classifies.
await JSHost.ImportAsync(Canvas.ModuleName, "../digits.js");
WebAssemblyHostBuilder builder = WebAssemblyHostBuilder.CreateDefault(args);
builder.RootComponents.Add<App>("#app");
await builder.Build().RunAsync();
