//! `madoguchi-forms`: render templates with case data to one PDF, or check templates.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use madoguchi_forms::{Fonts, Template, render};

#[derive(Parser)]
#[command(
    name = "madoguchi-forms",
    version,
    about = "Madoguchi forms: templates + case data → PDF"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Render TEMPLATE DATA.json pairs, in order, into one PDF (one print job).
    Render {
        /// TEMPLATE.toml DATA.json [TEMPLATE.toml DATA.json …]
        #[arg(required = true, num_args = 2..)]
        pairs: Vec<PathBuf>,
        #[arg(short, long)]
        output: PathBuf,
        /// Folder holding ipamjm.ttf and ipaexg.ttf (default: Debian's font folders).
        #[arg(long)]
        fonts: Option<PathBuf>,
        /// Write the PDF even when a value did not fit its box (the problems are still listed).
        #[arg(long)]
        allow_problems: bool,
    },
    /// Check templates; prints each one's id, version and validity period.
    Check {
        #[arg(required = true)]
        templates: Vec<PathBuf>,
    },
}

fn read_template(path: &PathBuf) -> anyhow::Result<Template> {
    let text =
        std::fs::read_to_string(path).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    let mut t = Template::parse(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    let dir = path.parent().unwrap_or(std::path::Path::new("."));
    t.attach_background(dir)
        .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    Ok(t)
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Check { templates } => {
            let mut bad = false;
            for p in &templates {
                match read_template(p) {
                    Ok(t) => println!(
                        "OK {}: {}（{} 版、{} から{}）",
                        p.display(),
                        t.name,
                        t.version,
                        t.valid_from,
                        t.valid_until
                            .map_or_else(String::new, |u| format!(" {u} の前日まで"))
                    ),
                    Err(e) => {
                        bad = true;
                        println!("NG {e}");
                    }
                }
            }
            Ok(if bad {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Render {
            pairs,
            output,
            fonts,
            allow_problems,
        } => {
            if pairs.len() % 2 != 0 {
                anyhow::bail!("テンプレートとデータ (JSON) を組で指定してください");
            }
            let fonts = Fonts::load(fonts.as_deref())?;
            let mut forms = Vec::new();
            for pair in pairs.chunks(2) {
                let t = read_template(&pair[0])?;
                let text = std::fs::read_to_string(&pair[1])
                    .map_err(|e| anyhow::anyhow!("{}: {e}", pair[1].display()))?;
                let data: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
                    anyhow::anyhow!(
                        "{}: JSON として読めません（{}行{}列）",
                        pair[1].display(),
                        e.line(),
                        e.column()
                    )
                })?;
                forms.push((t, data));
            }
            let refs: Vec<_> = forms.iter().map(|(t, d)| (t, d)).collect();
            let out = render(&fonts, &refs)?;
            for p in &out.problems {
                println!("{p}");
            }
            if !out.problems.is_empty() && !allow_problems {
                println!(
                    "印刷できない項目があるため PDF を書き出していません（--allow-problems で書き出します）。"
                );
                return Ok(ExitCode::from(3));
            }
            std::fs::write(&output, &out.pdf)
                .map_err(|e| anyhow::anyhow!("{}: {e}", output.display()))?;
            println!(
                "{} ページを書き出しました: {}（{} バイト）",
                out.pages,
                output.display(),
                out.pdf.len()
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("エラー: {e:#}");
            ExitCode::from(2)
        }
    }
}
