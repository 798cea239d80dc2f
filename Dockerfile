FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY src/AiLandscape.Web/AiLandscape.Web.csproj src/AiLandscape.Web/
RUN dotnet restore src/AiLandscape.Web/AiLandscape.Web.csproj
COPY src/ src/
RUN dotnet publish src/AiLandscape.Web/AiLandscape.Web.csproj -c Release -o /app --no-restore

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app .
USER app
ENTRYPOINT ["dotnet", "AiLandscape.Web.dll"]
