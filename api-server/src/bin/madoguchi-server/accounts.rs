//! `user`, `group`, `counter` and `terminal`: accounts and where they may work.

use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;
use madoguchi_server::auth;
use madoguchi_server::import::CsvEncoding;
use madoguchi_store::{PermissionSet, Store, TenantId};

use crate::cli_event;

pub(crate) const PERMISSIONS_HELP: &str = "comma-separated: search, view_qualifications, accept_notification, print_forms, request_certificate, export_data, import_data, admin, view_audit, override_support_measure, kiosk_apply, issue_certificates";

/// Groups and counters are both named lists of permissions.
#[derive(Subcommand)]
pub(crate) enum AccessListWhat {
    /// Create one, or replace its name and permissions.
    Add {
        code: String,
        #[arg(long)]
        name: String,
        #[arg(long, help = PERMISSIONS_HELP)]
        permissions: String,
        /// Counters only: whether staff may log in there from a browser (not only from an enrolled
        /// terminal); unchanged when not given, off for a new counter.
        #[arg(long)]
        browser: Option<bool>,
    },
    /// List the tenant's.
    List,
}

/// Enrolled counter terminals (docs/security.md).
#[derive(Subcommand)]
pub(crate) enum TerminalWhat {
    /// Enroll a terminal with the code it shows, or change its key, name or counters.
    Add {
        /// The terminal's `terminal_id`.
        id: String,
        /// The enrollment code the terminal shows (`madoguchi-terminal enrollment-code`).
        #[arg(long)]
        code: String,
        /// Counter codes it may serve, comma-separated.
        #[arg(long)]
        counters: String,
        #[arg(long, default_value = "")]
        name: String,
    },
    /// List the enrolled terminals.
    List,
    /// Remove a terminal's enrollment (its sessions end).
    Remove { id: String },
}

#[derive(Subcommand)]
pub(crate) enum UserWhat {
    /// Add a staff account; the password is read from standard input.
    Add {
        login: String,
        #[arg(long)]
        name: String,
        /// Last day the account may log in (有効期間), e.g. 2027-03-31 or R9.3.31.
        #[arg(long)]
        valid_until: Option<String>,
        /// Group codes, comma-separated.
        #[arg(long, default_value = "")]
        groups: String,
    },
    /// Set an account's groups (comma-separated codes; empty removes all).
    Groups { login: String, groups: String },
    /// Create or update many accounts from a CSV file (docs/staff-csv.md), all or nothing.
    Import {
        file: PathBuf,
        /// utf-8 (default) or cp932 (Shift_JIS).
        #[arg(long, default_value = "utf-8")]
        encoding: String,
    },
    /// Disable an account (kept for the record; its sessions end).
    Disable { login: String },
    /// Re-enable a disabled account.
    Enable { login: String },
    /// Unlock an account locked after repeated failed logins.
    Unlock { login: String },
    /// List the tenant's accounts.
    List,
}

/// `user …`.
pub(crate) fn users(
    store: &dyn Store,
    tenant: TenantId,
    what: UserWhat,
) -> anyhow::Result<ExitCode> {
    match what {
        UserWhat::Add {
            login,
            name,
            valid_until,
            groups,
        } => add_user(store, &tenant, &login, &name, valid_until, &groups),
        UserWhat::Groups { login, groups } => {
            let found = store
                .set_user_groups(
                    &tenant,
                    &login,
                    &codes(&groups),
                    &cli_event(&tenant, "user.groups", &login),
                )
                .map_err(|e| match e {
                    madoguchi_store::StoreError::NotFound(_) => {
                        anyhow::anyhow!("登録されていないグループがあります: {groups}")
                    }
                    e => e.into(),
                })?;
            user_change(found, &login, "のグループを変更しました")
        }
        UserWhat::Import { file, encoding } => import_users(store, &tenant, &file, &encoding),
        UserWhat::Disable { login } => user_change(
            store.set_user_disabled(
                &tenant,
                &login,
                true,
                &cli_event(&tenant, "user.disable", &login),
            )?,
            &login,
            "を無効にしました",
        ),
        UserWhat::Enable { login } => user_change(
            store.set_user_disabled(
                &tenant,
                &login,
                false,
                &cli_event(&tenant, "user.enable", &login),
            )?,
            &login,
            "を有効にしました",
        ),
        UserWhat::Unlock { login } => user_change(
            store.unlock_user(&tenant, &login, &cli_event(&tenant, "user.unlock", &login))?,
            &login,
            "のロックを解除しました",
        ),
        UserWhat::List => list_users(store, &tenant),
    }
}

fn add_user(
    store: &dyn Store,
    tenant: &TenantId,
    login: &str,
    name: &str,
    valid_until: Option<String>,
    groups: &str,
) -> anyhow::Result<ExitCode> {
    let valid_until = valid_until
        .map(|v| {
            madoguchi_core::wareki::parse_date(&v)
                .map_err(|e| anyhow::anyhow!("有効期間: {}", e.message_ja()))
        })
        .transpose()?;
    let mut password = String::new();
    std::io::stdin().read_to_string(&mut password)?;
    let password = password.trim_end_matches(['\r', '\n']);
    store.ensure_tenant(tenant, tenant.as_str())?;
    let spec = auth::AccountSpec {
        login,
        display_name: name,
        password,
        groups: codes(groups),
        valid_until,
    };
    match auth::create_user(
        store,
        tenant,
        &spec,
        &cli_event(tenant, "user.create", login),
    ) {
        Ok(_) => {}
        Err(e) => match e.downcast_ref::<madoguchi_store::StoreError>() {
            Some(madoguchi_store::StoreError::Conflict(_)) => {
                anyhow::bail!("ユーザー {login} はすでに登録されています")
            }
            Some(madoguchi_store::StoreError::NotFound(_)) => {
                anyhow::bail!("登録されていないグループがあります: {groups}")
            }
            _ => return Err(e),
        },
    }
    println!("ユーザー {login} を登録しました。");
    Ok(ExitCode::SUCCESS)
}

fn import_users(
    store: &dyn Store,
    tenant: &TenantId,
    file: &std::path::Path,
    encoding: &str,
) -> anyhow::Result<ExitCode> {
    let encoding = CsvEncoding::parse(encoding)
        .ok_or_else(|| anyhow::anyhow!("文字コードは utf-8 または cp932 を指定してください"))?;
    let bytes = std::fs::read(file).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
    store.ensure_tenant(tenant, tenant.as_str())?;
    let actor = cli_event(tenant, "user.import", "");
    match madoguchi_server::staff_import::import(store, tenant, &bytes, encoding, &actor) {
        Ok(c) => {
            println!("職員を登録しました: 追加 {}、更新 {}", c.created, c.updated);
            Ok(ExitCode::SUCCESS)
        }
        Err(problems) => {
            for p in &problems {
                println!("{p}");
            }
            println!("取り込みを中止しました（何も変更していません）。");
            Ok(ExitCode::from(1))
        }
    }
}

fn list_users(store: &dyn Store, tenant: &TenantId) -> anyhow::Result<ExitCode> {
    println!("ユーザーID\t氏名\t状態\t連続失敗回数\t有効期限\tグループ");
    for u in store.list_users(tenant)? {
        let state = match (u.disabled, u.locked) {
            (true, _) => "無効",
            (false, true) => "ロック中",
            (false, false) => "有効",
        };
        let until = u.valid_until.map(|d| {
            madoguchi_core::wareki::to_wareki(d).map_or_else(|_| d.to_string(), |w| w.to_string())
        });
        println!(
            "{}\t{}\t{state}\t{}\t{}\t{}",
            u.login,
            u.display_name,
            u.failed_logins,
            until.unwrap_or_default(),
            u.groups.join(",")
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// `terminal add|list|remove`.
pub(crate) fn terminals(
    store: &dyn Store,
    tenant: &TenantId,
    what: TerminalWhat,
) -> anyhow::Result<ExitCode> {
    use madoguchi_server::enrollment::{Registration, RegistrationError, register};
    match what {
        TerminalWhat::Add {
            id,
            code,
            counters,
            name,
        } => {
            let registration = Registration {
                id: &id,
                name: &name,
                enrollment_code: &code,
                counters: codes(&counters),
            };
            let event = cli_event(tenant, "terminal.put", &id);
            match register(
                store,
                tenant,
                &registration,
                "cli",
                chrono::Utc::now(),
                &event,
            ) {
                Ok(t) => println!(
                    "端末 {} を登録しました（窓口: {}）。",
                    t.id,
                    t.counters.join(", ")
                ),
                Err(RegistrationError::Invalid(m)) => {
                    eprintln!("{m}");
                    return Ok(ExitCode::from(1));
                }
                Err(RegistrationError::Store(e)) => return Err(e.into()),
            }
        }
        TerminalWhat::List => {
            println!("端末ID\t名称\t窓口\t登録日時\t登録者");
            for t in store.list_terminals(tenant)? {
                println!(
                    "{}\t{}\t{}\t{}\t{}",
                    t.id,
                    t.name,
                    t.counters.join(","),
                    t.registered_at.to_rfc3339(),
                    t.registered_by
                );
            }
        }
        TerminalWhat::Remove { id } => {
            if !store.remove_terminal(tenant, &id, &cli_event(tenant, "terminal.remove", &id))? {
                eprintln!("端末 {id} は登録されていません。");
                return Ok(ExitCode::from(1));
            }
            println!("端末 {id} の登録を解除しました。");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `group add|list` (`is_group`) and `counter add|list`.
pub(crate) fn access_list(
    store: &dyn Store,
    tenant: &TenantId,
    is_group: bool,
    what: AccessListWhat,
) -> anyhow::Result<ExitCode> {
    match what {
        AccessListWhat::Add {
            code,
            name,
            permissions,
            browser,
        } => {
            let permissions = PermissionSet::parse(&permissions).map_err(anyhow::Error::msg)?;
            if is_group && browser.is_some() {
                anyhow::bail!("--browser は窓口にだけ指定できます。");
            }
            check_code(&code)?;
            store.ensure_tenant(tenant, tenant.as_str())?;
            let what = if is_group {
                let group = madoguchi_store::GroupRecord {
                    code: code.clone(),
                    name,
                    permissions,
                };
                store.put_group(tenant, &group, &cli_event(tenant, "group.put", &code))?;
                "グループ"
            } else {
                let before = store.find_counter(tenant, &code)?;
                let counter = madoguchi_store::CounterRecord {
                    code: code.clone(),
                    name,
                    permissions,
                    browser_allowed: browser
                        .unwrap_or_else(|| before.is_some_and(|c| c.browser_allowed)),
                };
                store.put_counter(tenant, &counter, &cli_event(tenant, "counter.put", &code))?;
                "窓口"
            };
            println!(
                "{what} {code} を登録しました（権限: {}）。",
                labels(permissions)
            );
        }
        AccessListWhat::List => {
            let rows: Vec<(String, String, PermissionSet)> = if is_group {
                store
                    .list_groups(tenant)?
                    .into_iter()
                    .map(|g| (g.code, g.name, g.permissions))
                    .collect()
            } else {
                store
                    .list_counters(tenant)?
                    .into_iter()
                    .map(|c| (c.code, c.name, c.permissions))
                    .collect()
            };
            println!("コード\t名称\t権限");
            for (code, name, permissions) in rows {
                println!("{code}\t{name}\t{}", permissions.to_codes());
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn codes(list: &str) -> Vec<String> {
    list.split(',')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_owned)
        .collect()
}

pub(crate) fn labels(p: PermissionSet) -> String {
    if p.is_empty() {
        return "なし".into();
    }
    p.iter()
        .map(|p| p.label_ja())
        .collect::<Vec<_>>()
        .join("、")
}

/// Group and counter codes: what a login form and a CSV can carry safely.
pub(crate) fn check_code(code: &str) -> anyhow::Result<()> {
    if code.is_empty()
        || code.chars().count() > 50
        || code.contains([',', ';', '、'])
        || code.chars().any(char::is_control)
    {
        anyhow::bail!("コードは50文字以内で、カンマ・セミコロン・読点を含めずに指定してください");
    }
    Ok(())
}

pub(crate) fn user_change(found: bool, login: &str, done: &str) -> anyhow::Result<ExitCode> {
    if found {
        println!("ユーザー {login} {done}。");
        Ok(ExitCode::SUCCESS)
    } else {
        println!("ユーザー {login} は登録されていません。");
        Ok(ExitCode::from(1))
    }
}
