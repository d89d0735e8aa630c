/**
 * The demo shop's catalogue: five garments drawn for the project
 * (scripts/draw-garments.mjs), with what `<fashn-try-on>` needs for each.
 */

export type GarmentCategory = 'tops' | 'bottoms' | 'one-pieces';
export type GarmentPhotoType = 'flat-lay' | 'model';

export interface ProductColour {
  name: string;
  /** CSS colour of the swatch. */
  swatch: string;
}

export interface Product {
  id: string;
  name: string;
  /** Short line above the name. */
  eyebrow: string;
  priceEur: number;
  colours: ProductColour[];
  sizes: string[];
  /** Sizes shown crossed out. */
  soldOut: string[];
  category: GarmentCategory;
  photoType: GarmentPhotoType;
  description: string;
  details: string[];
  care: string;
}

export const PRODUCTS: readonly Product[] = [
  {
    id: 'tee',
    name: 'Organic Cotton Boxy Tee',
    eyebrow: 'Essentials',
    priceEur: 45,
    colours: [
      { name: 'Terracotta', swatch: '#b85a3d' },
      { name: 'Ecru', swatch: '#ece3d2' },
      { name: 'Ink', swatch: '#22273a' },
    ],
    sizes: ['XS', 'S', 'M', 'L', 'XL'],
    soldOut: ['XS'],
    category: 'tops',
    photoType: 'flat-lay',
    description:
      'A relaxed, boxy tee in heavyweight organic jersey, garment-dyed for a soft, lived-in colour. Dropped shoulders, a close ribbed neckline and a clean double-stitched hem.',
    details: ['100% organic cotton, 220 g/m²', 'Boxy fit, dropped shoulder', 'Made in Portugal'],
    care: 'Machine wash at 30 °C inside out. Dry flat.',
  },
  {
    id: 'denim-jacket',
    name: 'Selvedge Denim Trucker Jacket',
    eyebrow: 'Outerwear',
    priceEur: 189,
    colours: [
      { name: 'Mid Indigo', swatch: '#46679a' },
      { name: 'Rinse', swatch: '#26334f' },
    ],
    sizes: ['XS', 'S', 'M', 'L', 'XL'],
    soldOut: ['XL'],
    category: 'tops',
    photoType: 'flat-lay',
    description:
      'Our classic trucker in Japanese selvedge denim, washed by hand for a gentle fade. Copper shank buttons, flap chest pockets and contrast tobacco stitching.',
    details: ['100% cotton selvedge denim, 13.5 oz', 'Regular fit', 'Copper shank buttons'],
    care: 'Wash rarely, cold and inside out. Line dry.',
  },
  {
    id: 'trousers',
    name: 'Pleated Wool-Blend Trousers',
    eyebrow: 'Tailoring',
    priceEur: 139,
    colours: [
      { name: 'Camel', swatch: '#bb9466' },
      { name: 'Charcoal', swatch: '#3b3b40' },
    ],
    sizes: ['34', '36', '38', '40', '42', '44'],
    soldOut: ['34'],
    category: 'bottoms',
    photoType: 'flat-lay',
    description:
      'High-rise trousers with double forward pleats and a straight, fluid leg. Cut from a soft wool blend that holds a sharp crease from desk to dinner.',
    details: [
      '62% wool, 35% polyester, 3% elastane',
      'High rise, straight leg',
      'Slanted side pockets',
    ],
    care: 'Dry clean, or hand wash cold. Steam to refresh.',
  },
  {
    id: 'dress',
    name: 'Linen Sundress with Tie Waist',
    eyebrow: 'Summer edit',
    priceEur: 119,
    colours: [{ name: 'Cornflower Print', swatch: '#4f78b3' }],
    sizes: ['XS', 'S', 'M', 'L'],
    soldOut: [],
    category: 'one-pieces',
    photoType: 'flat-lay',
    description:
      'An airy midi dress in washed linen printed with tiny cornflowers. A square neckline, slim adjustable straps, a gathered waist and a contrast tie that bows at the side.',
    details: ['100% European linen', 'Midi length, A-line skirt', 'Adjustable straps'],
    care: 'Machine wash at 30 °C on a gentle cycle. Iron while damp.',
  },
  {
    id: 'breton-model',
    name: 'Breton Stripe Long-Sleeve Top',
    eyebrow: 'Icons',
    priceEur: 69,
    colours: [
      { name: 'Navy / Ecru', swatch: '#1f2f57' },
      { name: 'Red / Ecru', swatch: '#a8362f' },
    ],
    sizes: ['XS', 'S', 'M', 'L', 'XL'],
    soldOut: [],
    category: 'tops',
    photoType: 'model',
    description:
      'The sailor stripe, done properly: a dense cotton knit with a wide boat neck and long sleeves, shown here on the model. Fits true to size with a little room.',
    details: ['100% combed cotton', 'Boat neck, long sleeves', 'The model is 176 cm and wears S'],
    care: 'Machine wash at 30 °C. Do not tumble dry.',
  },
];

/** The product with `id`, or the first one. */
export function productById(id: string | null | undefined): Product {
  return PRODUCTS.find((product) => product.id === id) ?? PRODUCTS[0];
}

/** Main image and close-up, each with its thumbnail (paths under the site root). */
export function productImages(product: Product): { src: string; thumb: string; alt: string }[] {
  const base = `/garments/${product.id}`;
  return [
    { src: `${base}.png`, thumb: `${base}-thumb.png`, alt: product.name },
    {
      src: `${base}-detail.png`,
      thumb: `${base}-detail-thumb.png`,
      alt: `${product.name}, close-up`,
    },
  ];
}

/** "€45" in the shopper's language. */
export function formatPrice(priceEur: number, lang: string): string {
  return new Intl.NumberFormat(lang, {
    style: 'currency',
    currency: 'EUR',
    maximumFractionDigits: 0,
  }).format(priceEur);
}
