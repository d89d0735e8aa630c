/**
 * The photo check's words, in every built-in language. Loaded with the check
 * itself (at the review step), so they cost the first screen nothing; a page
 * overrides any of them through the element's `strings`, like every other text.
 */
import type { PhotoFinding } from '../photo-check/types.js';

export type PhotoCheckStrings = {
  /** Above the list of what is wrong. */
  photoCheckIntro: string;
  /** The button that sends the photo despite the findings (never offered with `photo-check="require"`). */
  useAnyway: string;
} & { [F in PhotoFinding as `photoCheck.${F}`]: string };

const en: PhotoCheckStrings = {
  photoCheckIntro: 'This photo may not make a good avatar:',
  useAnyway: 'Use anyway',
  'photoCheck.too-dark': 'It is too dark. Face a window or a lamp.',
  'photoCheck.washed-out': 'It is too bright or washed out. Step out of direct light.',
  'photoCheck.blurred': 'It is blurred. Hold still, or clean the lens.',
  'photoCheck.too-small': 'It is too small. Use the camera or a larger photo.',
  'photoCheck.no-face': 'We can’t find a face. Face the camera.',
  'photoCheck.several-faces': 'There is more than one face. Only you should be in the photo.',
  'photoCheck.face-too-small': 'Your face is too small. Come closer.',
  'photoCheck.face-cut-off': 'Your face is cut off. Keep all of it in the picture.',
};

const de: PhotoCheckStrings = {
  photoCheckIntro: 'Aus diesem Foto wird vielleicht kein guter Avatar:',
  useAnyway: 'Trotzdem verwenden',
  'photoCheck.too-dark': 'Es ist zu dunkel. Wende dich einem Fenster oder einer Lampe zu.',
  'photoCheck.washed-out': 'Es ist zu hell oder blass. Geh aus dem direkten Licht.',
  'photoCheck.blurred': 'Es ist unscharf. Halte still oder reinige die Linse.',
  'photoCheck.too-small': 'Es ist zu klein. Nutze die Kamera oder ein größeres Foto.',
  'photoCheck.no-face': 'Wir finden kein Gesicht. Schau in die Kamera.',
  'photoCheck.several-faces': 'Es ist mehr als ein Gesicht zu sehen. Nur du solltest im Bild sein.',
  'photoCheck.face-too-small': 'Dein Gesicht ist zu klein. Komm näher.',
  'photoCheck.face-cut-off': 'Dein Gesicht ist abgeschnitten. Bring es ganz ins Bild.',
};

const fr: PhotoCheckStrings = {
  photoCheckIntro: 'Cette photo risque de ne pas donner un bon avatar :',
  useAnyway: 'Utiliser quand même',
  'photoCheck.too-dark': 'Elle est trop sombre. Placez-vous face à une fenêtre ou une lampe.',
  'photoCheck.washed-out': 'Elle est trop claire ou délavée. Sortez de la lumière directe.',
  'photoCheck.blurred': 'Elle est floue. Ne bougez pas, ou nettoyez l’objectif.',
  'photoCheck.too-small':
    'Elle est trop petite. Utilisez l’appareil photo ou une photo plus grande.',
  'photoCheck.no-face': 'Nous ne trouvons pas de visage. Regardez l’objectif.',
  'photoCheck.several-faces': 'Il y a plus d’un visage. Vous seul devez être sur la photo.',
  'photoCheck.face-too-small': 'Votre visage est trop petit. Rapprochez-vous.',
  'photoCheck.face-cut-off': 'Votre visage est coupé. Gardez-le entièrement dans l’image.',
};

const es: PhotoCheckStrings = {
  photoCheckIntro: 'Puede que esta foto no dé un buen avatar:',
  useAnyway: 'Usar de todos modos',
  'photoCheck.too-dark': 'Está demasiado oscura. Ponte frente a una ventana o una lámpara.',
  'photoCheck.washed-out': 'Está demasiado clara o lavada. Apártate de la luz directa.',
  'photoCheck.blurred': 'Está borrosa. No te muevas o limpia la lente.',
  'photoCheck.too-small': 'Es demasiado pequeña. Usa la cámara o una foto más grande.',
  'photoCheck.no-face': 'No encontramos ninguna cara. Mira a la cámara.',
  'photoCheck.several-faces': 'Hay más de una cara. Solo tú deberías salir en la foto.',
  'photoCheck.face-too-small': 'Tu cara se ve demasiado pequeña. Acércate.',
  'photoCheck.face-cut-off': 'Tu cara está cortada. Que se vea entera.',
};

const ar: PhotoCheckStrings = {
  photoCheckIntro: 'قد لا تصلح هذه الصورة لصنع صورة رمزية جيدة:',
  useAnyway: 'استخدمها على أي حال',
  'photoCheck.too-dark': 'الصورة مظلمة جدًا. قف مقابل نافذة أو مصباح.',
  'photoCheck.washed-out': 'الصورة ساطعة جدًا أو باهتة. ابتعد عن الضوء المباشر.',
  'photoCheck.blurred': 'الصورة ضبابية. اثبت في مكانك أو نظّف العدسة.',
  'photoCheck.too-small': 'الصورة صغيرة جدًا. استخدم الكاميرا أو صورة أكبر.',
  'photoCheck.no-face': 'لم نجد وجهًا. انظر إلى الكاميرا.',
  'photoCheck.several-faces': 'في الصورة أكثر من وجه. يجب أن تكون وحدك في الصورة.',
  'photoCheck.face-too-small': 'وجهك صغير جدًا في الصورة. اقترب أكثر.',
  'photoCheck.face-cut-off': 'جزء من وجهك خارج الصورة. أبقِ وجهك كله داخلها.',
};

const TABLES: Record<string, PhotoCheckStrings> = { en, de, fr, es, ar };

/** The table for a `lang` value (its primary subtag; English for anything else), with overrides on top. */
export function photoCheckStrings(
  lang: string | null | undefined,
  overrides?: Partial<PhotoCheckStrings>,
): PhotoCheckStrings {
  const base = TABLES[(lang ?? '').toLowerCase().split('-')[0]] ?? en;
  return overrides ? { ...base, ...overrides } : base;
}
