import type { Strings } from './en.js';

/** German UI text. */
export const de: Strings = {
  tryOn: 'Anprobieren',
  close: 'Schließen',
  consentTitle: 'Bevor es losgeht',
  consentBody:
    'Dein Selfie wird an FASHN gesendet und dort in einen Avatar von dir verwandelt. Der Avatar bleibt nur auf diesem Gerät und lässt sich jederzeit löschen.',
  privacy: 'Datenschutzerklärung',
  continue: 'Weiter',
  captureTitle: 'Mach ein Selfie',
  captureHint: 'Schau bei gutem Licht in die Kamera oder lade ein Foto hoch.',
  cameraStarting: 'Kamera wird gestartet…',
  video: 'Kameravorschau',
  takePhoto: 'Foto aufnehmen',
  switchCamera: 'Kamera wechseln',
  uploadPhoto: 'Foto hochladen',
  dropHint: 'oder ein Foto hierher ziehen',
  reviewTitle: 'Passt das Foto?',
  yourPhoto: 'Dein Foto',
  usePhoto: 'Foto verwenden',
  retake: 'Neu aufnehmen',
  avatarTitle: 'Dein Avatar entsteht',
  tryonTitle: 'Dein Avatar wird eingekleidet',
  preparing: 'Foto wird vorbereitet',
  starting: 'Wird gestartet',
  in_queue: 'In der Warteschlange',
  processing: 'In Arbeit',
  retrying: 'Ausgelastet, neuer Versuch',
  elapsed: '{elapsed} s von etwa {estimate} s',
  cancel: 'Abbrechen',
  resultTitle: 'Dein Look',
  resultAlt: 'Du mit diesem Artikel, Look {n} von {total}',
  avatarAlt: 'Dein Avatar',
  after: 'Nachher',
  before: 'Vorher',
  compare: 'Vergleichen',
  resultReady: 'Dein Look ist fertig.',
  tryAnother: 'Anderen Look probieren',
  changePhoto: 'Foto ändern',
  deletePhoto: 'Mein Foto löschen',
  download: 'Herunterladen',
  errorTitle: 'Etwas ist schiefgelaufen',
  tryAgain: 'Erneut versuchen',
  'error.invalid-config':
    'Diese Anprobe ist nicht richtig eingerichtet. Bitte versuche es später noch einmal.',
  'error.camera-denied':
    'Der Kamerazugriff ist blockiert. Erlaube ihn in den Browsereinstellungen oder lade ein Foto hoch.',
  'error.camera-unavailable':
    'Die Kamera ist hier nicht verfügbar. Lade stattdessen ein Foto hoch.',
  'error.camera-retry':
    'Die Kamera ist nicht gestartet. Erlaube sie in den Browser-Einstellungen oder schließe andere Apps, die sie nutzen, und versuche es erneut.',
  'error.invalid-image': 'Diese Datei können wir nicht lesen. Wähle ein JPEG- oder PNG-Foto.',
  'error.image-too-large': 'Das Foto ist zu groß. Wähle eines unter 25 MB.',
  'error.network': 'Keine Verbindung. Prüfe deine Internetverbindung und versuche es erneut.',
  'error.timeout': 'Das dauert zu lange. Bitte versuche es erneut.',
  'error.rate-limited': 'Gerade ist viel los. Bitte versuche es in einer Minute erneut.',
  'error.out-of-credits':
    'Die Anprobe ist gerade nicht verfügbar. Bitte versuche es später noch einmal.',
  'error.unauthorized':
    'Die Anprobe ist gerade nicht verfügbar. Bitte versuche es später noch einmal.',
  'error.bad-request':
    'Das Foto konnte nicht gesendet werden. Nimm es neu auf und versuche es erneut.',
  'error.proxy-error': 'Der Anprobe-Dienst des Shops hatte ein Problem. Bitte versuche es erneut.',
  'error.prediction-failed': 'Dein Look konnte nicht erstellt werden. Bitte versuche es erneut.',
  'error.canceled': 'Abgebrochen.',
  'error.storage':
    'Dein Avatar kann auf diesem Gerät nicht gespeichert werden; er bleibt, bis du die Seite verlässt.',
  'error.PoseError':
    'Dein Gesicht war nicht gut zu sehen. Nimm das Foto neu auf, mit dem Gesicht frontal zur Kamera.',
  'error.RunOutcomeUnknown':
    'Verbindung nach dem Senden verloren. Nichts wurde doppelt gesendet; tippe auf „Erneut versuchen“ für eine neue Anprobe.',
  'error.ContentModerationError':
    'Dieses Foto kann nicht verwendet werden. Bitte wähle ein anderes.',
  'error.garment':
    'Dieser Artikel kann gerade nicht anprobiert werden. Probiere einen anderen Artikel.',
  'error.photo': 'Dieses Foto konnten wir nicht verwenden. Bitte nimm es neu auf.',
  // The shop's conversion loop: share, add to cart, the shop's consent manager, credits.
  share: 'Teilen',
  shareText: 'Wie steht mir das?',
  addToCart: 'In den Warenkorb',
  adding: 'Wird hinzugefügt…',
  added: 'Hinzugefügt',
  cartFailed:
    'Dieser Artikel konnte nicht in den Warenkorb gelegt werden. Bitte versuche es noch einmal.',
  consentWaiting: 'Stimme den Datenschutzeinstellungen des Shops zu, um das anzuprobieren.',
  unavailable: 'Anprobieren ist gerade nicht verfügbar',
  unavailableBody:
    'Bitte versuche es später noch einmal. Kaufen kannst du den Artikel wie gewohnt.',
};
