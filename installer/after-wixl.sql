-- What wixl 0.101 cannot express, applied by `cargo xtask dist msi` with msibuild after wixl built the
-- package from madoguchi-terminal.wxs and the database codepage was set to 932 (Shift_JIS). One statement
-- per line, no single quotes inside texts. The tests (tests/installer/) check the result.
--
-- Public properties passed from the command line to the installation's system part (wixl has no
-- Property/@Secure): its own two upgrade properties, and ours.
UPDATE `Property` SET `Value` = 'WIX_DOWNGRADE_DETECTED;WIX_UPGRADE_DETECTED;SERVER_URL;TENANT;TERMINAL_ID;TERMINAL_ROLE;COUNTER;PRINTER;RECEIPT_PRINTER;CARD_READER;QR_SCANNER;KIOSK_LOGIN;KIOSK_PASSWORD;ADMIN_PIN_HASH;UPDATE_PUBLIC_KEY;REMOVE_LOCAL_DATA' WHERE `Property` = 'SecureCustomProperties'
--
-- The configuration step receives KIOSK_PASSWORD and ADMIN_PIN_HASH on its command line: its Target is
-- not written to the log either (msidbCustomActionTypeHideTarget 8192; 18 exe from File + 1024 deferred
-- + 2048 no impersonation + 8192 = 11282; wixl ignores CustomAction/@HideTarget).
UPDATE `CustomAction` SET `Type` = 11282 WHERE `Action` = 'Configure'
--
-- A major upgrade removes the old version only once the new one is installed (wixl ignores
-- MajorUpgrade/@Schedule and removes it first, so a failed upgrade would leave no terminal at all).
UPDATE `InstallExecuteSequence` SET `Sequence` = 6601 WHERE `Action` = 'RemoveExistingProducts'
--
-- The Japanese texts (wixl drops non-ASCII table strings; the .wxs holds English ones).
UPDATE `Property` SET `Value` = '窓口端末' WHERE `Property` = 'ProductName'
UPDATE `Property` SET `Value` = 'Madoguchi プロジェクト' WHERE `Property` = 'Manufacturer'
UPDATE `Directory` SET `DefaultDir` = 'MADOTERM|窓口端末' WHERE `Directory` = 'ShortcutFolder'
UPDATE `Shortcut` SET `Name` = 'MADOTERM|窓口端末', `Description` = '窓口端末（書かない窓口）を起動します' WHERE `Shortcut` = 'TerminalShortcut'
UPDATE `Feature` SET `Title` = '窓口端末' WHERE `Feature` = 'Terminal'
UPDATE `Feature` SET `Title` = 'キオスクの自動起動（ログオン時）' WHERE `Feature` = 'KioskStart'
UPDATE `LaunchCondition` SET `Description` = 'より新しいバージョンの窓口端末がインストールされています。古いバージョンに戻す場合は、先にアンインストールしてください。' WHERE `Condition` = 'NOT WIX_DOWNGRADE_DETECTED'
UPDATE `LaunchCondition` SET `Description` = 'Microsoft Edge WebView2 ランタイムが見つかりません。窓口端末の画面表示に必要です。WebView2 ランタイム (Evergreen) をインストールしてから、もう一度インストールしてください: https://developer.microsoft.com/microsoft-edge/webview2/' WHERE `Description` = 'The Microsoft Edge WebView2 runtime is missing: install the WebView2 Evergreen runtime first.'
