/** Before the last PIN try (one more wrong PIN blocks the card): the holder confirms or goes back. */
export function LastTryDialog({
  text,
  yes,
  no,
  onYes,
  onNo,
}: {
  text: string;
  yes: string;
  no: string;
  onYes: () => void;
  onNo: () => void;
}) {
  return (
    <div className="kiosk-confirm-box" role="alertdialog" aria-labelledby="last-try-text" data-testid="last-try">
      <p id="last-try-text" className="kiosk-warning">
        {text}
      </p>
      <div className="kiosk-answers">
        <button type="button" className="kiosk-button kiosk-button-primary" onClick={onYes} data-testid="last-try-yes">
          {yes}
        </button>
        <button type="button" className="kiosk-button kiosk-button-secondary" onClick={onNo} data-testid="last-try-no">
          {no}
        </button>
      </div>
    </div>
  );
}
