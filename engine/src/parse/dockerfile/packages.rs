//! Package-manager operations recognised in a command's argv: which manager (apt/apt-get,
//! apk, yum/dnf/microdnf/tdnf, zypper, pacman, pip/pip3/`python -m pip`, npm, yarn, pnpm, gem,
//! `go install`), what it does (install, remove, update the index, upgrade, clean its cache),
//! its options with their values, and its package arguments split into name and version the
//! way each manager reads them (`curl=7.88.1-10`, `curl~8`, `flask==3.0`, `express@4.19.2`,
//! `rails:7.1`, `httpd-2.4.6-97.el7`, `golang.org/x/tools/cmd/goimports@v0.24.0`), with whether
//! the argument pins what gets installed (a version, or a local file, or a VCS revision).

/// A byte range of one argv word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Part {
    pub word: usize,
    pub start: usize,
    pub end: usize,
}

impl Part {
    fn whole(word: usize, text: &str) -> Part {
        Part { word, start: 0, end: text.len() }
    }

    pub(super) fn text<'a>(&self, argv: &[&'a str]) -> &'a str {
        argv.get(self.word).and_then(|word| word.get(self.start..self.end)).unwrap_or("")
    }
}

/// An option of a package-manager command: `--no-cache`, `-o APT::Install-Recommends=false`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct PackageOption {
    pub name: String,
    pub name_part: Part,
    pub value: Option<Part>,
}

/// A package argument.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Package {
    pub word: usize,
    pub name: Part,
    pub version: Option<Part>,
    pub pinned: bool,
}

/// One package-manager command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Operation {
    pub manager: &'static str,
    /// The argv index of the word naming the manager (`pip` in `python3 -m pip install`).
    pub manager_word: usize,
    /// The argv indexes of the subcommand's words (`install`, `cache clean`, `-Syu`).
    pub subcommand: Vec<usize>,
    pub operation: &'static str,
    pub options: Vec<PackageOption>,
    pub packages: Vec<Package>,
}

/// How a manager is invoked.
struct Manager {
    name: &'static str,
    programs: &'static [&'static str],
    /// Options that take the next word as their value (unless given as `--name=value`).
    value_options: &'static [&'static str],
    /// Whether `-yq` means `-y -q`.
    clusters: bool,
    /// Subcommands (one or two words) and the operation each is.
    subcommands: &'static [(&'static str, &'static str)],
    package: fn(&str, Subcommand) -> Parsed,
}

/// The subcommand a package argument comes with, for the managers whose reading depends on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Subcommand {
    GoInstall,
    Other,
}

/// A package argument split: byte ranges of its name and version, and whether it is pinned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Parsed {
    name: (usize, usize),
    version: Option<(usize, usize)>,
    pinned: bool,
}

impl Parsed {
    fn whole(text: &str, pinned: bool) -> Parsed {
        Parsed { name: (0, text.len()), version: None, pinned }
    }

    /// `name` up to `at`, the version from `version_at` on (empty versions are none).
    fn split(text: &str, at: usize, version_at: usize) -> Parsed {
        let version = (version_at < text.len()).then_some((version_at, text.len()));
        Parsed { name: (0, at), version, pinned: version.is_some() }
    }
}

const INSTALL: &str = "install";
const REMOVE: &str = "remove";
const UPDATE: &str = "update";
const UPGRADE: &str = "upgrade";
const CLEAN: &str = "clean";

const MANAGERS: &[Manager] = &[
    Manager {
        name: "apt",
        programs: &["apt-get", "apt", "aptitude"],
        value_options: &[
            "-o",
            "-c",
            "-t",
            "-a",
            "--option",
            "--config-file",
            "--target-release",
            "--default-release",
            "--host-architecture",
        ],
        clusters: true,
        subcommands: &[
            ("install", INSTALL),
            ("reinstall", INSTALL),
            ("remove", REMOVE),
            ("purge", REMOVE),
            ("autoremove", REMOVE),
            ("autopurge", REMOVE),
            ("update", UPDATE),
            ("upgrade", UPGRADE),
            ("dist-upgrade", UPGRADE),
            ("full-upgrade", UPGRADE),
            ("safe-upgrade", UPGRADE),
            ("clean", CLEAN),
            ("autoclean", CLEAN),
        ],
        package: apt_package,
    },
    Manager {
        name: "apk",
        programs: &["apk"],
        value_options: &[
            "-t",
            "--virtual",
            "-X",
            "--repository",
            "-p",
            "--root",
            "--arch",
            "--cache-dir",
            "--keys-dir",
            "--repositories-file",
            "--cache-max-age",
            "--wait",
        ],
        clusters: true,
        subcommands: &[
            ("add", INSTALL),
            ("del", REMOVE),
            ("update", UPDATE),
            ("upgrade", UPGRADE),
            ("cache clean", CLEAN),
            ("cache purge", CLEAN),
        ],
        package: apk_package,
    },
    Manager {
        name: "yum",
        programs: &["yum"],
        value_options: RPM_VALUE_OPTIONS,
        clusters: true,
        subcommands: RPM_SUBCOMMANDS,
        package: rpm_package,
    },
    Manager {
        name: "dnf",
        programs: &["dnf", "dnf5", "dnf-3"],
        value_options: RPM_VALUE_OPTIONS,
        clusters: true,
        subcommands: RPM_SUBCOMMANDS,
        package: rpm_package,
    },
    Manager {
        name: "microdnf",
        programs: &["microdnf"],
        value_options: RPM_VALUE_OPTIONS,
        clusters: true,
        subcommands: RPM_SUBCOMMANDS,
        package: rpm_package,
    },
    Manager {
        name: "tdnf",
        programs: &["tdnf"],
        value_options: RPM_VALUE_OPTIONS,
        clusters: true,
        subcommands: RPM_SUBCOMMANDS,
        package: rpm_package,
    },
    Manager {
        name: "zypper",
        programs: &["zypper"],
        value_options: &[
            "--root",
            "-R",
            "-c",
            "--config",
            "-D",
            "--reposd-dir",
            "-C",
            "--cache-dir",
            "-r",
            "--repo",
            "--from",
            "-t",
            "--type",
        ],
        clusters: true,
        subcommands: &[
            ("install", INSTALL),
            ("in", INSTALL),
            ("remove", REMOVE),
            ("rm", REMOVE),
            ("refresh", UPDATE),
            ("ref", UPDATE),
            ("update", UPGRADE),
            ("up", UPGRADE),
            ("dist-upgrade", UPGRADE),
            ("dup", UPGRADE),
            ("patch", UPGRADE),
            ("clean", CLEAN),
            ("cc", CLEAN),
        ],
        package: zypper_package,
    },
    Manager {
        name: "pacman",
        programs: &["pacman"],
        value_options: &[
            "-r",
            "--root",
            "-b",
            "--dbpath",
            "--cachedir",
            "--config",
            "--arch",
            "--ignore",
            "--ignoregroup",
            "--assume-installed",
            "--overwrite",
            "--gpgdir",
            "--hookdir",
            "--logfile",
        ],
        clusters: false,
        subcommands: &[],
        package: pacman_package,
    },
    Manager {
        name: "pip",
        programs: &["pip"],
        value_options: &[
            "-r",
            "--requirement",
            "-c",
            "--constraint",
            "-e",
            "--editable",
            "-i",
            "--index-url",
            "--extra-index-url",
            "-f",
            "--find-links",
            "-t",
            "--target",
            "--prefix",
            "--root",
            "--src",
            "--upgrade-strategy",
            "--platform",
            "--python-version",
            "--implementation",
            "--abi",
            "--only-binary",
            "--no-binary",
            "--progress-bar",
            "--trusted-host",
            "--cache-dir",
            "--report",
            "--log",
            "--timeout",
            "--retries",
            "--proxy",
            "--cert",
            "--client-cert",
            "-C",
            "--config-settings",
            "--global-option",
            "--root-user-action",
            "--python",
            "-b",
            "--build",
            "--exists-action",
            "--keyring-provider",
            "--use-feature",
            "--use-deprecated",
        ],
        clusters: true,
        subcommands: &[("install", INSTALL), ("uninstall", REMOVE), ("cache purge", CLEAN)],
        package: pip_package,
    },
    Manager {
        name: "npm",
        programs: &["npm"],
        value_options: &[
            "--registry",
            "--prefix",
            "--cache",
            "--loglevel",
            "--userconfig",
            "--globalconfig",
            "-w",
            "--workspace",
            "--tag",
            "--omit",
            "--include",
            "--install-strategy",
            "--location",
            "--before",
            "--otp",
            "--scope",
            "-C",
        ],
        clusters: false,
        subcommands: &[
            ("install", INSTALL),
            ("i", INSTALL),
            ("in", INSTALL),
            ("add", INSTALL),
            ("isntall", INSTALL),
            ("ci", INSTALL),
            ("clean-install", INSTALL),
            ("install-clean", INSTALL),
            ("uninstall", REMOVE),
            ("un", REMOVE),
            ("remove", REMOVE),
            ("rm", REMOVE),
            ("r", REMOVE),
            ("update", UPGRADE),
            ("up", UPGRADE),
            ("upgrade", UPGRADE),
            ("cache clean", CLEAN),
        ],
        package: node_package,
    },
    Manager {
        name: "yarn",
        programs: &["yarn", "yarnpkg"],
        value_options: &[
            "--cwd",
            "--cache-folder",
            "--modules-folder",
            "--network-timeout",
            "--registry",
            "--mutex",
            "--global-folder",
            "--link-folder",
            "--prefix",
        ],
        clusters: false,
        subcommands: &[
            ("add", INSTALL),
            ("install", INSTALL),
            ("global add", INSTALL),
            ("remove", REMOVE),
            ("global remove", REMOVE),
            ("upgrade", UPGRADE),
            ("up", UPGRADE),
            ("global upgrade", UPGRADE),
            ("cache clean", CLEAN),
        ],
        package: node_package,
    },
    Manager {
        name: "pnpm",
        programs: &["pnpm"],
        value_options: &[
            "--dir",
            "-C",
            "--filter",
            "-F",
            "--store-dir",
            "--registry",
            "--reporter",
            "--loglevel",
            "--workspace-concurrency",
        ],
        clusters: false,
        subcommands: &[
            ("add", INSTALL),
            ("install", INSTALL),
            ("i", INSTALL),
            ("remove", REMOVE),
            ("rm", REMOVE),
            ("uninstall", REMOVE),
            ("un", REMOVE),
            ("update", UPGRADE),
            ("up", UPGRADE),
            ("upgrade", UPGRADE),
            ("store prune", CLEAN),
        ],
        package: node_package,
    },
    Manager {
        name: "gem",
        programs: &["gem"],
        value_options: &[
            "-v",
            "--version",
            "-i",
            "--install-dir",
            "-n",
            "--bindir",
            "--source",
            "-s",
            "-p",
            "--http-proxy",
            "-P",
            "--trust-policy",
            "--platform",
            "-g",
            "--file",
            "--build-root",
        ],
        clusters: false,
        subcommands: &[
            ("install", INSTALL),
            ("i", INSTALL),
            ("uninstall", REMOVE),
            ("update", UPGRADE),
            ("cleanup", CLEAN),
        ],
        package: gem_package,
    },
    Manager {
        name: "go",
        programs: &["go"],
        value_options: &[
            "-o",
            "-C",
            "-p",
            "-ldflags",
            "-gcflags",
            "-asmflags",
            "-tags",
            "-mod",
            "-modfile",
            "-buildmode",
            "-compiler",
            "-gccgoflags",
            "-installsuffix",
            "-pkgdir",
            "-toolexec",
            "-overlay",
            "-pgo",
            "-covermode",
            "-coverpkg",
            "-exec",
        ],
        clusters: false,
        subcommands: &[("install", INSTALL), ("get", INSTALL)],
        package: go_package,
    },
];

const RPM_VALUE_OPTIONS: &[&str] = &[
    "-c",
    "--config",
    "--installroot",
    "--releasever",
    "--enablerepo",
    "--disablerepo",
    "-x",
    "--exclude",
    "--setopt",
    "--repo",
    "--repoid",
    "--disableplugin",
    "--enableplugin",
    "--forcearch",
    "-d",
    "--debuglevel",
    "-e",
    "--errorlevel",
    "--downloaddir",
    "--destdir",
    "--repofrompath",
    "--color",
];

const RPM_SUBCOMMANDS: &[(&str, &str)] = &[
    ("install", INSTALL),
    ("in", INSTALL),
    ("reinstall", INSTALL),
    ("localinstall", INSTALL),
    ("remove", REMOVE),
    ("erase", REMOVE),
    ("rm", REMOVE),
    ("autoremove", REMOVE),
    ("update", UPGRADE),
    ("upgrade", UPGRADE),
    ("up", UPGRADE),
    ("update-minimal", UPGRADE),
    ("upgrade-minimal", UPGRADE),
    ("distro-sync", UPGRADE),
    ("makecache", UPDATE),
    ("check-update", UPDATE),
    ("clean", CLEAN),
];

/// The package-manager operation an argv runs, if it runs one.
///
/// `argv[0]` is the program (a path or a name); wrappers such as `sudo` are already gone.
pub(super) fn recognise(argv: &[&str]) -> Option<Operation> {
    let program = argv.first().map(|word| crate::parse::shell::basename(word))?;
    let (manager, manager_word) = match MANAGERS.iter().find(|m| m.programs.contains(&program)) {
        Some(manager) => (manager, 0),
        None if is_pip(program) => (MANAGERS.iter().find(|m| m.name == "pip")?, 0),
        None if is_python(program) => (MANAGERS.iter().find(|m| m.name == "pip")?, python_module_pip(argv)?),
        None => return None,
    };
    let words = Words::read(argv, manager_word + 1, manager);
    let (subcommand, operation) =
        if manager.name == "pacman" { pacman_operation(argv, &words)? } else { subcommand(argv, &words, manager)? };
    let after = subcommand.last().copied().unwrap_or(manager_word);
    let kind = if manager.name == "go" && operation == INSTALL && argv.get(after).is_some_and(|w| *w == "install") {
        Subcommand::GoInstall
    } else {
        Subcommand::Other
    };
    let mut packages = Vec::new();
    if operation != CLEAN && operation != UPDATE {
        for &at in words.positionals.iter().filter(|at| **at > after && !subcommand.contains(at)) {
            let text = argv.get(at).copied().unwrap_or("");
            // `"$tool"`, `${PACKAGES}`: what is installed is only known when the RUN runs.
            let parsed = if text.starts_with('$') { Parsed::whole(text, false) } else { (manager.package)(text, kind) };
            packages.push(Package {
                word: at,
                name: Part { word: at, start: parsed.name.0, end: parsed.name.1 },
                version: parsed.version.map(|(start, end)| Part { word: at, start, end }),
                pinned: parsed.pinned,
            });
        }
    }
    let options = words.options;
    if manager.name == "gem" {
        // `gem install rails -v 7.1.3`: the version applies to the gems named.
        if let Some(version) = options.iter().find(|o| o.name == "-v" || o.name == "--version").and_then(|o| o.value) {
            for package in packages.iter_mut().filter(|p| p.version.is_none()) {
                package.version = Some(version);
                package.pinned = true;
            }
        }
    }
    Some(Operation { manager: manager.name, manager_word, subcommand, operation, options, packages })
}

fn is_pip(program: &str) -> bool {
    program.strip_prefix("pip").is_some_and(|rest| rest.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

fn is_python(program: &str) -> bool {
    program.strip_prefix("python").is_some_and(|rest| rest.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

/// `python3 -m pip …`, `python -mpip …`: the argv index of `pip`.
fn python_module_pip(argv: &[&str]) -> Option<usize> {
    let mut at = 1;
    while let Some(word) = argv.get(at) {
        if *word == "-m" {
            return argv.get(at + 1).filter(|module| is_pip(module)).map(|_| at + 1);
        }
        if word.strip_prefix("-m").is_some_and(is_pip) {
            return Some(at);
        }
        // Other interpreter options (`-u`, `-I`, `-W error`); anything else is a script.
        if !word.starts_with('-') {
            return None;
        }
        at += if matches!(*word, "-W" | "-X" | "-c") { 2 } else { 1 };
    }
    None
}

/// The options and the positional words after the manager's name.
struct Words {
    options: Vec<PackageOption>,
    positionals: Vec<usize>,
}

impl Words {
    fn read(argv: &[&str], from: usize, manager: &Manager) -> Words {
        let mut options = Vec::new();
        let mut positionals = Vec::new();
        let mut at = from;
        let mut only_positionals = false;
        while let Some(word) = argv.get(at).copied() {
            let value_next = |options: &mut Vec<PackageOption>, name: &str, name_part: Part| {
                let value = argv.get(at + 1).map(|next| Part::whole(at + 1, next));
                options.push(PackageOption { name: name.to_owned(), name_part, value });
            };
            if only_positionals || word == "-" || !word.starts_with('-') {
                positionals.push(at);
            } else if word == "--" {
                only_positionals = true;
            } else if let Some((name, _)) = word.split_once('=').filter(|_| word.starts_with("--")) {
                let value = Part { word: at, start: name.len() + 1, end: word.len() };
                options.push(PackageOption {
                    name: name.to_owned(),
                    name_part: Part { word: at, start: 0, end: name.len() },
                    value: Some(value),
                });
            } else if word.starts_with("--") || !manager.clusters || word.len() == 2 {
                if manager.value_options.contains(&word) {
                    value_next(&mut options, word, Part::whole(at, word));
                    at += 1;
                } else {
                    options.push(PackageOption {
                        name: word.to_owned(),
                        name_part: Part::whole(at, word),
                        value: None,
                    });
                }
            } else {
                // A cluster of short options, `-yq`; a value-taking one takes the rest of the
                // cluster, or the next word (`-oAPT::Install-Recommends=0`, `-t bookworm`).
                let mut took_next = false;
                for (index, letter) in word.char_indices().skip(1) {
                    let name = format!("-{letter}");
                    let name_part = Part { word: at, start: index, end: index + letter.len_utf8() };
                    if manager.value_options.contains(&name.as_str()) {
                        let rest = index + letter.len_utf8();
                        if rest < word.len() {
                            options.push(PackageOption {
                                name,
                                name_part,
                                value: Some(Part { word: at, start: rest, end: word.len() }),
                            });
                        } else {
                            value_next(&mut options, &name, name_part);
                            took_next = true;
                        }
                        break;
                    }
                    options.push(PackageOption { name, name_part, value: None });
                }
                if took_next {
                    at += 1;
                }
            }
            at += 1;
        }
        Words { options, positionals }
    }
}

/// The subcommand (one or two positional words) and its operation.
fn subcommand(argv: &[&str], words: &Words, manager: &Manager) -> Option<(Vec<usize>, &'static str)> {
    let first = words.positionals.first().copied();
    let second = words.positionals.get(1).copied();
    let word = |at: Option<usize>| at.and_then(|at| argv.get(at)).copied();
    if let (Some(a), Some(b)) = (word(first), word(second)) {
        let two = format!("{a} {b}");
        if let Some((_, operation)) = manager.subcommands.iter().find(|(name, _)| *name == two) {
            return Some((first.into_iter().chain(second).collect(), operation));
        }
    }
    match word(first) {
        Some(a) => {
            manager.subcommands.iter().find(|(name, _)| *name == a).map(|(_, op)| (first.into_iter().collect(), *op))
        }
        // A bare `yarn` installs what package.json and the lockfile say.
        None if manager.name == "yarn" => Some((Vec::new(), INSTALL)),
        None => None,
    }
}

/// pacman's operation is an option: `-S`, `-Syu`, `-Sc`, `-R`, `-U`, `--sync`; its modifiers
/// may be in the same option or in others (`-S -y -u`, `--refresh --sysupgrade`).
fn pacman_operation(argv: &[&str], words: &Words) -> Option<(Vec<usize>, &'static str)> {
    let letter = |name: &str| match name {
        "--sync" => Some('S'),
        "--remove" => Some('R'),
        "--upgrade" => Some('U'),
        short if !short.starts_with("--") => short.chars().nth(1).filter(|c| matches!(c, 'S' | 'R' | 'U')),
        _ => None,
    };
    let (option, operation) = words.options.iter().find_map(|o| letter(o.name_part.text(argv)).map(|l| (o, l)))?;
    let modifiers: String = words
        .options
        .iter()
        .map(|o| o.name_part.text(argv))
        .map(|name| match name {
            "--sysupgrade" => "u",
            "--clean" => "c",
            "--refresh" => "y",
            long if long.starts_with("--") => "",
            short => short.get(1..).unwrap_or(""),
        })
        .collect();
    let operation = match operation {
        'R' => REMOVE,
        'U' => INSTALL,
        _ if modifiers.contains('u') => UPGRADE,
        _ if modifiers.contains('c') => CLEAN,
        _ if modifiers.contains('y') && words.positionals.is_empty() => UPDATE,
        _ => INSTALL,
    };
    Some((vec![option.name_part.word], operation))
}

fn is_path(text: &str) -> bool {
    text == "." || text == ".." || ["./", "../", "/", "~/"].iter().any(|prefix| text.starts_with(prefix))
}

fn is_url(text: &str) -> bool {
    text.contains("://")
}

/// `curl`, `curl=7.88.1-10+deb12u8`, `curl/bookworm-backports`, `./local.deb`.
fn apt_package(text: &str, _: Subcommand) -> Parsed {
    if is_path(text) || text.ends_with(".deb") || is_url(text) {
        return Parsed::whole(text, true);
    }
    match text.find(['=', '/']) {
        Some(at) if text.get(at..at + 1) == Some("=") => Parsed::split(text, at, at + 1),
        Some(at) => {
            // `pkg/release`, or `pkg/release=version`.
            match text.find('=') {
                Some(eq) => Parsed {
                    name: (0, at),
                    version: (eq + 1 < text.len()).then_some((eq + 1, text.len())),
                    pinned: eq + 1 < text.len(),
                },
                None => Parsed { name: (0, at), version: None, pinned: false },
            }
        }
        None => Parsed::whole(text, false),
    }
}

/// `curl`, `curl=8.9.1-r1`, `curl~8.9`, `curl>8`, `curl@edge`, `./local.apk`.
fn apk_package(text: &str, _: Subcommand) -> Parsed {
    if is_path(text) || text.ends_with(".apk") || is_url(text) {
        return Parsed::whole(text, true);
    }
    // `@edge` names a repository, not a version.
    let spec = text.find('@').map_or(text, |at| text.get(..at).unwrap_or(text));
    match spec.find(['=', '~', '<', '>']) {
        Some(at) => {
            let version_at = if spec.get(at..at + 1) == Some("=") { at + 1 } else { at };
            let version = (version_at < spec.len()).then_some((version_at, spec.len()));
            Parsed { name: (0, at), version, pinned: version.is_some() }
        }
        None => Parsed { name: (0, spec.len()), version: None, pinned: false },
    }
}

/// `httpd`, `httpd-2.4.6`, `httpd-2.4.6-97.el7`, `java-11-openjdk` (no version: the parts after
/// the name start with a digit), `./local.rpm`, a URL.
fn rpm_package(text: &str, _: Subcommand) -> Parsed {
    if is_path(text) || text.ends_with(".rpm") || is_url(text) {
        return Parsed::whole(text, true);
    }
    if text.contains(['=', '<', '>']) {
        return zypper_package(text, Subcommand::Other);
    }
    // name-version or name-version-release: one or two trailing parts that start with a digit.
    let mut split = None;
    let mut parts = 0;
    let mut end = text.len();
    while let Some(dash) = text.get(..end).and_then(|head| head.rfind('-')) {
        let part = text.get(dash + 1..end).unwrap_or("");
        if parts == 2 || !part.starts_with(|c: char| c.is_ascii_digit()) {
            break;
        }
        parts += 1;
        split = Some(dash);
        end = dash;
    }
    match split {
        Some(dash) if dash > 0 => Parsed::split(text, dash, dash + 1),
        _ => Parsed::whole(text, false),
    }
}

/// `curl`, `curl=8.6`, `curl>=8`, `./local.rpm`.
fn zypper_package(text: &str, _: Subcommand) -> Parsed {
    if is_path(text) || text.ends_with(".rpm") || is_url(text) {
        return Parsed::whole(text, true);
    }
    match text.find(['=', '<', '>']) {
        Some(at) => {
            let version_at = if text.get(at..at + 1) == Some("=") { at + 1 } else { at };
            Parsed::split(text, at, version_at)
        }
        None => Parsed::whole(text, false),
    }
}

/// pacman installs a repository's current version (no version can be asked for), or a package
/// file.
fn pacman_package(text: &str, _: Subcommand) -> Parsed {
    Parsed::whole(text, is_path(text) || is_url(text) || text.contains(".pkg.tar"))
}

/// A requirement specifier: `flask`, `flask==3.0.3`, `flask[async]>=3,<4`, `pkg; python_version<"3.12"`,
/// a local path, a wheel, a URL, or a VCS URL (pinned when it names a revision: `…/repo.git@v1.2`).
fn pip_package(text: &str, _: Subcommand) -> Parsed {
    let vcs = ["git+", "hg+", "svn+", "bzr+"].iter().any(|scheme| text.starts_with(scheme));
    if vcs {
        let path = text.split_once("://").map_or(text, |(_, rest)| rest);
        let path = path.split_once('/').map_or("", |(_, path)| path);
        let path = path.split('#').next().unwrap_or(path);
        return Parsed::whole(text, path.contains('@'));
    }
    let archive = [".whl", ".tar.gz", ".zip", ".tgz", ".tar.bz2"].iter().any(|ext| text.ends_with(ext));
    if is_path(text) || is_url(text) || archive || text.contains('/') {
        return Parsed::whole(text, true);
    }
    let requirement = text.split(';').next().unwrap_or(text).trim_end();
    let name_end = requirement
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')))
        .unwrap_or(requirement.len());
    let mut spec_start = name_end;
    if requirement.get(name_end..name_end + 1) == Some("[") {
        spec_start = requirement.find(']').map_or(requirement.len(), |at| at + 1);
    }
    let spec = requirement.get(spec_start..).unwrap_or("");
    let trimmed = spec.trim_start();
    if trimmed.is_empty() {
        return Parsed { name: (0, name_end), version: None, pinned: false };
    }
    let mut version_at = spec_start + (spec.len() - trimmed.len());
    // `==3.0` and `===3.0` are exact versions: the version is what follows.
    if let Some(exact) = trimmed.strip_prefix("===").or_else(|| trimmed.strip_prefix("==")) {
        version_at += trimmed.len() - exact.len();
    }
    Parsed {
        name: (0, name_end),
        version: (version_at < requirement.len()).then_some((version_at, requirement.len())),
        pinned: true,
    }
}

/// `express`, `express@4.19.2`, `@scope/pkg@^1`, `pkg@latest` (a moving tag: not pinned), a git
/// URL (pinned with `#ref`), a tarball, a folder.
fn node_package(text: &str, _: Subcommand) -> Parsed {
    let git = ["git://", "git+", "github:", "gitlab:", "bitbucket:", "gist:"].iter().any(|p| text.starts_with(p));
    let shorthand =
        !text.starts_with('@') && !is_path(text) && !is_url(text) && text.contains('/') && !text.contains('@');
    if git || shorthand {
        return Parsed::whole(text, text.contains('#'));
    }
    let tarball = [".tgz", ".tar.gz", ".tar"].iter().any(|ext| text.ends_with(ext));
    if tarball || is_path(text) || is_url(text) || text.starts_with("file:") {
        return Parsed::whole(text, true);
    }
    let search_from = if text.starts_with('@') { text.find('/').unwrap_or(0) } else { 1 };
    match text.get(search_from..).and_then(|rest| rest.find('@')).map(|at| at + search_from) {
        Some(at) => {
            let version = text.get(at + 1..).unwrap_or("");
            let moving = version.is_empty() || matches!(version, "latest" | "*" | "x");
            Parsed { name: (0, at), version: (!version.is_empty()).then_some((at + 1, text.len())), pinned: !moving }
        }
        None => Parsed::whole(text, false),
    }
}

/// `rails`, `rails:7.1.3`, `./local.gem` (`-v` is applied by the caller).
fn gem_package(text: &str, _: Subcommand) -> Parsed {
    if is_path(text) || text.ends_with(".gem") {
        return Parsed::whole(text, true);
    }
    match text.find(':') {
        Some(at) => Parsed::split(text, at, at + 1),
        None => Parsed::whole(text, false),
    }
}

/// `golang.org/x/tools/cmd/goimports@v0.24.0`; `@latest` is not pinned. `go install pkg` without
/// a version builds the version the current module requires; `go get pkg` takes the latest.
fn go_package(text: &str, subcommand: Subcommand) -> Parsed {
    if is_path(text) {
        return Parsed::whole(text, true);
    }
    match text.rfind('@') {
        Some(at) => {
            let version = text.get(at + 1..).unwrap_or("");
            let moving = version.is_empty() || matches!(version, "latest" | "upgrade" | "patch" | "master" | "main");
            Parsed { name: (0, at), version: (!version.is_empty()).then_some((at + 1, text.len())), pinned: !moving }
        }
        None => Parsed::whole(text, subcommand == Subcommand::GoInstall),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (package argument, manager, name, version, pinned)
    #[test]
    fn package_arguments_are_read_the_way_each_manager_reads_them() {
        type Case<'a> = (&'a str, fn(&str, Subcommand) -> Parsed, &'a str, Option<&'a str>, bool);
        let cases: &[Case] = &[
            ("curl", apt_package, "curl", None, false),
            ("curl=7.88.1-10+deb12u8", apt_package, "curl", Some("7.88.1-10+deb12u8"), true),
            ("curl/bookworm-backports", apt_package, "curl", None, false),
            ("./pkg.deb", apt_package, "./pkg.deb", None, true),
            ("curl=8.9.1-r1", apk_package, "curl", Some("8.9.1-r1"), true),
            ("curl~8.9", apk_package, "curl", Some("~8.9"), true),
            ("curl@edge", apk_package, "curl", None, false),
            ("httpd-2.4.6-97.el7", rpm_package, "httpd", Some("2.4.6-97.el7"), true),
            ("httpd-2.4.6", rpm_package, "httpd", Some("2.4.6"), true),
            ("java-11-openjdk-devel", rpm_package, "java-11-openjdk-devel", None, false),
            ("python3", rpm_package, "python3", None, false),
            ("curl=8.6", zypper_package, "curl", Some("8.6"), true),
            ("curl>=8", zypper_package, "curl", Some(">=8"), true),
            ("flask", pip_package, "flask", None, false),
            ("flask==3.0.3", pip_package, "flask", Some("3.0.3"), true),
            ("flask===3.0.3", pip_package, "flask", Some("3.0.3"), true),
            ("requests[socks]>=2,<3", pip_package, "requests", Some(">=2,<3"), true),
            ("pkg; python_version<'3.12'", pip_package, "pkg", None, false),
            (
                "git+https://github.com/a/b.git@v1.2#egg=b",
                pip_package,
                "git+https://github.com/a/b.git@v1.2#egg=b",
                None,
                true,
            ),
            ("git+ssh://git@github.com/a/b.git", pip_package, "git+ssh://git@github.com/a/b.git", None, false),
            ("./dist/app.whl", pip_package, "./dist/app.whl", None, true),
            (".", pip_package, ".", None, true),
            ("express", node_package, "express", None, false),
            ("express@4.19.2", node_package, "express", Some("4.19.2"), true),
            ("@scope/pkg@^1", node_package, "@scope/pkg", Some("^1"), true),
            ("@scope/pkg", node_package, "@scope/pkg", None, false),
            ("npm@latest", node_package, "npm", Some("latest"), false),
            (
                "git+https://github.com/npm/cli.git#v10",
                node_package,
                "git+https://github.com/npm/cli.git#v10",
                None,
                true,
            ),
            ("user/repo", node_package, "user/repo", None, false),
            ("rails:7.1", gem_package, "rails", Some("7.1"), true),
            ("rails", gem_package, "rails", None, false),
            (
                "golang.org/x/tools/cmd/goimports@v0.24.0",
                go_package,
                "golang.org/x/tools/cmd/goimports",
                Some("v0.24.0"),
                true,
            ),
            (
                "golang.org/x/tools/cmd/goimports@latest",
                go_package,
                "golang.org/x/tools/cmd/goimports",
                Some("latest"),
                false,
            ),
        ];
        for (text, read, name, version, pinned) in cases {
            let parsed = read(text, Subcommand::Other);
            let got_name = &text[parsed.name.0..parsed.name.1];
            let got_version = parsed.version.map(|(s, e)| &text[s..e]);
            assert_eq!((got_name, got_version, parsed.pinned), (*name, *version, *pinned), "{text}");
        }
    }
}
