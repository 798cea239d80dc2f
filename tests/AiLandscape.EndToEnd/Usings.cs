global using AiLandscape.TestSupport;
global using Microsoft.Playwright;
