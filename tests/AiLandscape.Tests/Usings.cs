global using AiLandscape.TestSupport;
global using Microsoft.Extensions.DependencyInjection;
