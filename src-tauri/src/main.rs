// No console window behind the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::io::BufRead;

fn main() {
    // `madoguchi-terminal hash-pin`: reads the kiosk administrator PIN from standard input and prints
    // the `admin_pin_hash` line for the configuration file.
    if std::env::args().nth(1).as_deref() == Some("hash-pin") {
        let mut pin = String::new();
        if std::io::stdin().lock().read_line(&mut pin).is_err() || pin.trim().len() < 6 {
            eprintln!("6桁以上の暗証番号を標準入力から入力してください。");
            std::process::exit(2);
        }
        println!(
            "admin_pin_hash = \"{}\"",
            madoguchi_terminal::config::hash_pin(pin.trim())
        );
        return;
    }
    std::process::exit(madoguchi_terminal_app::run());
}
