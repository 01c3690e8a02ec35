import { blocked, MOVED } from '../helpers/build-platform-cases.js';
import { lines, ruleTable, type RuleCase } from '../helpers/rule-table.js';

const JRE = ['FROM eclipse-temurin:21-jre', 'COPY --from=build /src/target/app.jar /app/app.jar'];
/** A Maven stage around `body`, its jar copied into a JRE stage. */
const mavenFile = (...body: string[]): string =>
  lines('FROM maven:3.9-eclipse-temurin-21 AS build', 'WORKDIR /src', 'COPY . .', ...body, ...JRE);

const RUNTIME = ['FROM mcr.microsoft.com/dotnet/aspnet:8.0', 'COPY --from=build /app .'];
const STARTS_DLL = 'ENTRYPOINT ["dotnet", "app.dll"]';
/** A .NET stage on `sdk` around `body`, its output copied into an ASP.NET stage that starts `dotnet app.dll`. */
const dotnetFile = (sdk: string, ...body: string[]): string =>
  lines(
    `FROM mcr.microsoft.com/dotnet/sdk:${sdk} AS build`,
    'WORKDIR /src',
    'COPY . .',
    ...body,
    ...RUNTIME,
    STARTS_DLL,
  );
/** Microsoft's multi-platform sample: restore and publish for `-a $TARGETARCH`. */
const TARGETED = ['RUN dotnet restore -a $TARGETARCH', 'RUN dotnet publish -a $TARGETARCH --no-restore -o /app'];

const JVM: RuleCase[] = [
  {
    name: 'Maven jar into a JRE stage: moved, nothing else changes',
    input: mavenFile('RUN --mount=type=cache,target=/root/.m2 mvn -B package -DskipTests'),
    output: mavenFile('RUN --mount=type=cache,target=/root/.m2 mvn -B package -DskipTests').replace(
      'FROM maven',
      'FROM --platform=$BUILDPLATFORM maven',
    ),
    findings: [
      {
        line: 1,
        fixed: true,
        message: `mvn (JVM) in a stage that runs emulated for other platforms: ${MOVED}, bytecode is the same on every platform`,
      },
    ],
  },
  {
    name: './gradlew jars from build/libs, ./mvnw wars and target/ directories: moved',
    input: lines(
      'FROM gradle:8-jdk21 AS g',
      'RUN ./gradlew bootJar --no-daemon',
      'FROM eclipse-temurin:21-jdk AS m',
      'RUN ./mvnw package && mkdir -p target/dependency',
      'FROM tomcat:10-jre21',
      'COPY --from=g /home/gradle/build/libs/*.jar /app/',
      'COPY --from=m /src/target/ROOT.war /usr/local/tomcat/webapps/',
      'COPY --from=m /src/target/dependency/BOOT-INF/lib /app/lib',
    ),
    output: lines(
      'FROM --platform=$BUILDPLATFORM gradle:8-jdk21 AS g',
      'RUN ./gradlew bootJar --no-daemon',
      'FROM --platform=$BUILDPLATFORM eclipse-temurin:21-jdk AS m',
      'RUN ./mvnw package && mkdir -p target/dependency',
      'FROM tomcat:10-jre21',
      'COPY --from=g /home/gradle/build/libs/*.jar /app/',
      'COPY --from=m /src/target/ROOT.war /usr/local/tomcat/webapps/',
      'COPY --from=m /src/target/dependency/BOOT-INF/lib /app/lib',
    ),
    findings: [
      { line: 1, fixed: true, message: './gradlew (JVM)' },
      { line: 3, fixed: true, message: './mvnw (JVM)' },
    ],
  },
  blocked(
    'jlink links a runtime for the platform it runs on',
    'jlink',
    mavenFile('RUN mvn package && jlink --output /jre'),
  ),
  blocked(
    'jpackage packages a native launcher',
    'jpackage',
    mavenFile('RUN mvn package && jpackage --input target --main-jar app.jar'),
  ),
  blocked(
    'GraalVM native-image run by hand',
    'GraalVM native-image',
    mavenFile('RUN mvn package && native-image -jar target/app.jar'),
  ),
  blocked(
    'GraalVM through a Maven profile',
    'GraalVM native image (mvn -Pnative)',
    mavenFile('RUN mvn -Pnative package'),
  ),
  blocked(
    'GraalVM through Gradle',
    'GraalVM native image (./gradlew nativeCompile)',
    mavenFile('RUN ./gradlew nativeCompile'),
  ),
  blocked('a Gradle jlink task', './gradlew jlink (a runtime or launcher', mavenFile('RUN ./gradlew jlink')),
  blocked(
    'target libraries',
    'it installs target libraries (libfreetype6-dev)',
    mavenFile('RUN apt-get update && apt-get install -y libfreetype6-dev', 'RUN mvn package'),
  ),
  blocked(
    'running what it built',
    'it runs what it builds (java -jar)',
    mavenFile('RUN mvn package && java -jar target/app.jar --selftest'),
  ),
  blocked(
    'running the application through Maven',
    'it runs what it builds (mvn spring-boot:run)',
    mavenFile('RUN mvn package spring-boot:run'),
  ),
  blocked(
    'more than jars copied on',
    '/src is copied on, not only jars',
    lines('FROM maven AS build', 'RUN mvn package', 'FROM eclipse-temurin:21-jre', 'COPY --from=build /src /src'),
  ),
  blocked(
    'its JDK copied on',
    'its JDK is copied on (/opt/java/openjdk)',
    mavenFile('RUN mvn package').replace('/app/app.jar', '/app/app.jar\nCOPY --from=build /opt/java/openjdk /opt/java'),
  ),
  blocked(
    'the whole stage mounted',
    'RUN mounts the whole stage',
    lines(
      'FROM maven AS build',
      'RUN mvn package',
      'FROM eclipse-temurin:21-jre',
      'RUN --mount=from=build,target=/b cp /b/src/target/app.jar /',
    ),
  ),
  blocked(
    'a stage another stage is built FROM',
    'stage extract is built FROM it',
    lines('FROM maven AS build', 'RUN mvn package', 'FROM build AS extract', 'RUN echo', ...JRE),
  ),
  blocked('the last stage', 'it is the last stage', lines('FROM maven', 'RUN mvn package')),
];

const DOTNET: RuleCase[] = [
  {
    name: "Microsoft's sample (-a $TARGETARCH, SDK 8.0): moved, ARG TARGETARCH declared before the first",
    input: dotnetFile('8.0', ...TARGETED),
    output: dotnetFile('8.0', 'ARG TARGETARCH', ...TARGETED).replace('FROM mcr', 'FROM --platform=$BUILDPLATFORM mcr'),
    findings: [
      {
        line: 1,
        fixed: true,
        message: `dotnet publish (.NET) in a stage that runs emulated for other platforms: ${MOVED}, building for the target with -a $TARGETARCH`,
      },
    ],
  },
  {
    name: '--arch=${TARGETARCH} with ARG TARGETARCH already there, SDK 7.0.302 and 10.0: moved, no second ARG',
    input: lines(
      'FROM mcr.microsoft.com/dotnet/sdk:7.0.302 AS a',
      'ARG TARGETARCH',
      'RUN dotnet publish --arch=${TARGETARCH} --self-contained -o /app',
      'FROM mcr.microsoft.com/dotnet/sdk:10.0-alpine AS b',
      'ARG TARGETARCH',
      'RUN dotnet build --arch "$TARGETARCH" -o /app',
      'FROM mcr.microsoft.com/dotnet/runtime-deps:8.0',
      'COPY --from=a /app /a',
      'COPY --from=b /app /b',
      'ENTRYPOINT ["/a/app"]',
    ),
    output: lines(
      'FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:7.0.302 AS a',
      'ARG TARGETARCH',
      'RUN dotnet publish --arch=${TARGETARCH} --self-contained -o /app',
      'FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:10.0-alpine AS b',
      'ARG TARGETARCH',
      'RUN dotnet build --arch "$TARGETARCH" -o /app',
      'FROM mcr.microsoft.com/dotnet/runtime-deps:8.0',
      'COPY --from=a /app /a',
      'COPY --from=b /app /b',
      'ENTRYPOINT ["/a/app"]',
    ),
    findings: [
      { line: 1, fixed: true, message: 'dotnet publish (.NET)' },
      { line: 4, fixed: true, message: 'dotnet build (.NET)' },
    ],
  },
  {
    name: 'framework-dependent (no runtime named) and started with dotnet app.dll: moved, any SDK',
    input: dotnetFile('6.0', 'RUN dotnet restore && dotnet publish -c Release -o /app'),
    output: dotnetFile('6.0', 'RUN dotnet restore && dotnet publish -c Release -o /app').replace(
      'FROM mcr',
      'FROM --platform=$BUILDPLATFORM mcr',
    ),
    findings: [{ line: 1, fixed: true, message: 'its IL is the same on every platform' }],
  },
  {
    name: 'framework-dependent without an apphost (-p:UseAppHost=false): moved whatever starts the image',
    input: lines(
      'FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build',
      'RUN dotnet publish -c Release -p:UseAppHost=false -o /app',
      ...RUNTIME,
      'ENTRYPOINT ["/entrypoint.sh"]',
    ),
    output: lines(
      'FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:8.0 AS build',
      'RUN dotnet publish -c Release -p:UseAppHost=false -o /app',
      ...RUNTIME,
      'ENTRYPOINT ["/entrypoint.sh"]',
    ),
    findings: [{ line: 1, fixed: true }],
  },
  blocked(
    'Native AOT',
    'Native AOT (PublishAot',
    dotnetFile('8.0', 'RUN dotnet publish -a $TARGETARCH -p:PublishAot=true -o /app'),
  ),
  blocked('an AOT SDK image', 'its SDK image is the Native AOT one', dotnetFile('10.0-noble-aot', ...TARGETED)),
  blocked(
    'ReadyToRun',
    'ReadyToRun (PublishReadyToRun',
    dotnetFile('8.0', 'RUN dotnet publish -a $TARGETARCH /p:PublishReadyToRun=true -o /app'),
  ),
  blocked(
    'a hard-coded runtime identifier',
    'it names a runtime identifier (-r linux-x64)',
    dotnetFile('8.0', 'RUN dotnet publish -r linux-x64 -o /app'),
  ),
  blocked(
    'RuntimeIdentifier as a property',
    'it names a runtime identifier (RuntimeIdentifier=linux-arm64)',
    dotnetFile('8.0', 'RUN dotnet publish -p RuntimeIdentifier=linux-arm64 -o /app'),
  ),
  blocked(
    'a hard-coded architecture',
    'it builds for a fixed architecture (-a x64)',
    dotnetFile('8.0', 'RUN dotnet publish -a x64 -o /app'),
  ),
  blocked(
    'self-contained without the target',
    'self-contained without -a $TARGETARCH',
    dotnetFile('8.0', 'RUN dotnet publish --self-contained -o /app'),
  ),
  blocked(
    'the current runtime',
    'it builds for the runtime it runs on (--ucr)',
    dotnetFile('8.0', 'RUN dotnet publish --ucr -o /app'),
  ),
  blocked(
    "an apphost the image starts: it would be the build platform's",
    "its apphost would be the build platform's",
    lines(
      'FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build',
      'RUN dotnet publish -o /app',
      ...RUNTIME,
      'ENTRYPOINT ["./app"]',
    ),
  ),
  blocked(
    'SDK 6.0 does not take -a amd64',
    'SDK 6.0 does not take -a amd64 (7.0.300 and later do)',
    dotnetFile('6.0', ...TARGETED),
  ),
  blocked('SDK 7.0.100 neither', 'SDK 7.0.100 does not take -a amd64', dotnetFile('7.0.100', ...TARGETED)),
  blocked(
    'an SDK whose version is not known',
    'its SDK version is not known',
    lines('FROM registry.example/dotnet-sdk AS build', ...TARGETED, ...RUNTIME, STARTS_DLL),
  ),
  blocked(
    'dotnet test runs what it builds',
    'dotnet test',
    dotnetFile('8.0', 'RUN dotnet test && dotnet publish -o /app'),
  ),
  blocked(
    'the SDK copied on',
    'the SDK or its tools are copied on (/usr/share/dotnet)',
    dotnetFile('8.0', 'RUN dotnet publish -o /app').replace(
      STARTS_DLL,
      `COPY --from=build /usr/share/dotnet /dotnet\n${STARTS_DLL}`,
    ),
  ),
  blocked('the last stage', 'it is the last stage', lines('FROM mcr.microsoft.com/dotnet/sdk:8.0', ...TARGETED)),
  {
    name: 'left alone: -r linux-$TARGETARCH (a runtime named, and $TARGETARCH read), a SDK version from a global ARG too old',
    input: lines(
      'ARG SDK=6.0',
      'FROM mcr.microsoft.com/dotnet/sdk:8.0 AS rid',
      'RUN dotnet publish -r linux-$TARGETARCH -o /app',
      'FROM mcr.microsoft.com/dotnet/sdk:${SDK} AS old',
      'RUN dotnet publish -a $TARGETARCH -o /app && dotnet test',
      'FROM mcr.microsoft.com/dotnet/aspnet:8.0',
      'COPY --from=rid /app /a',
      'COPY --from=old /app /b',
      STARTS_DLL,
    ),
    findings: [],
  },
];

ruleTable('build-on-build-platform', [...JVM, ...DOTNET], { applySuggested: true });
