//! The app started without a usable configuration. Instead of exiting silently (a Windows app has no
//! console), it opens its window, and `terminal_info` — the first call the UI makes — answers with why,
//! in Japanese, without the file's path or content. Nothing else is answered.

use madoguchi_terminal_runtime::runtime::CommandError;
use tauri::Runtime;
use tauri::ipc::Invoke;

/// The invoke handler of that mode: `terminal_info` is refused with `message`; every other command is
/// unknown.
pub fn handler<R: Runtime>(message: String) -> impl Fn(Invoke<R>) -> bool + Send + Sync + 'static {
    move |invoke: Invoke<R>| {
        if invoke.message.command() != "terminal_info" {
            return false;
        }
        invoke
            .resolver
            .reject(CommandError::new("terminal_config", message.clone()));
        true
    }
}
