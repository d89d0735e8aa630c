/**
 * Draws the demo shop's product images as SVG and renders them to PNG/JPEG
 * with headless Chromium (playwright-core), so the demo ships images made for
 * this project (no stock photos, no real people).
 *
 *   node scripts/draw-garments.mjs
 *
 * Writes demo/public/garments/<id>.png (800×1000), <id>-detail.png (a close-up
 * crop of the same drawing), 160×200 thumbnails of both, and
 * demo/public/sample-selfie.jpg (an illustrated head-and-shoulders portrait).
 */
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { decode, encode } from 'fast-png';
import { chromium } from 'playwright-core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const garmentsDir = path.join(root, 'demo/public/garments');
const W = 800;
const H = 1000;

/** A seam stitch: a thin dashed line, the detail that makes a drawing read as sewn fabric. */
const stitch = (d, color, width = 2, dash = '7 5') =>
  `<path d="${d}" fill="none" stroke="${color}" stroke-width="${width}" stroke-dasharray="${dash}" stroke-linecap="round"/>`;

/** Soft shadows and highlights: blurred shapes clipped to the garment. */
const shade = (d, color, opacity, blur = 'soft') =>
  `<path d="${d}" fill="${color}" opacity="${opacity}" filter="url(#${blur})"/>`;

/** Shared defs: blur filters and the table-top drop shadow of a flat-lay. */
const commonDefs = `
  <filter id="soft" x="-30%" y="-30%" width="160%" height="160%"><feGaussianBlur stdDeviation="14"/></filter>
  <filter id="softer" x="-30%" y="-30%" width="160%" height="160%"><feGaussianBlur stdDeviation="28"/></filter>
  <filter id="crisp" x="-30%" y="-30%" width="160%" height="160%"><feGaussianBlur stdDeviation="4"/></filter>
  <filter id="drop" x="-20%" y="-20%" width="140%" height="140%">
    <feDropShadow dx="0" dy="14" stdDeviation="16" flood-color="#2b2118" flood-opacity="0.22"/>
  </filter>`;

const svgDoc = (body, defs = '', viewBox = `0 0 ${W} ${H}`) =>
  `<svg xmlns="http://www.w3.org/2000/svg" viewBox="${viewBox}" width="100%" height="100%" preserveAspectRatio="xMidYMid slice">
  <defs>${commonDefs}${defs}</defs>${body}</svg>`;

// ---------------------------------------------------------------- t-shirt

function tee() {
  const outline =
    'M325,172 C300,190 250,200 198,214 L76,350 C96,388 126,414 160,432 L214,388 ' +
    'C212,520 205,700 208,862 Q400,884 592,862 C595,700 588,520 586,388 L640,432 ' +
    'C674,414 704,388 724,350 L602,214 C550,200 500,190 475,172 C455,236 345,236 325,172 Z';
  const frontNeck = 'M325,172 C345,236 455,236 475,172';
  const backNeck = 'M325,172 C360,156 440,156 475,172';
  const defs = `
    <linearGradient id="teeBase" x1="0" y1="0" x2="0.25" y2="1">
      <stop offset="0" stop-color="#c8694b"/><stop offset="0.55" stop-color="#b85a3d"/><stop offset="1" stop-color="#9f4a31"/>
    </linearGradient>
    <clipPath id="teeClip"><path d="${outline}"/></clipPath>`;
  const body = `
  <g filter="url(#drop)"><path d="${outline}" fill="url(#teeBase)"/></g>
  <g clip-path="url(#teeClip)">
    ${shade('M214,388 C240,420 250,600 232,860 L200,860 L200,380 Z', '#5e2616', 0.35)}
    ${shade('M586,388 C560,420 550,600 568,860 L600,860 L600,380 Z', '#5e2616', 0.3)}
    ${shade('M300,300 C360,280 450,290 500,320 C470,380 360,380 300,300 Z', '#f6c2a8', 0.28, 'softer')}
    ${shade('M330,520 C350,600 352,700 338,820 L350,822 C370,700 372,600 346,520 Z', '#5e2616', 0.28)}
    ${shade('M468,470 C480,560 486,650 478,760 L494,760 C500,650 496,560 482,470 Z', '#5e2616', 0.22)}
    ${shade('M380,560 C392,640 396,720 388,830 L398,830 C410,720 406,640 392,560 Z', '#ffd9c4', 0.25)}
    ${shade('M120,330 C150,360 180,380 210,380 L206,410 C170,400 140,380 110,350 Z', '#ffd9c4', 0.22)}
    ${shade('M680,330 C650,360 620,380 590,380 L594,410 C630,400 660,380 690,350 Z', '#5e2616', 0.25)}
    <path d="M208,830 Q400,852 592,830 L600,880 L200,880 Z" fill="#8a3e28" opacity="0.35"/>
  </g>
  <path d="${frontNeck} C440,156 360,156 325,172 Z" fill="#6f2f1d"/>
  <path d="M333,178 C352,190 448,190 467,178 C452,222 348,222 333,178 Z" fill="#7c3521" opacity="0.9"/>
  <rect x="384" y="170" width="32" height="20" rx="2" fill="#efe6da"/>
  <path d="M390,177 h20 M392,183 h16" stroke="#8f7f6c" stroke-width="2"/>
  <path d="${backNeck}" fill="none" stroke="#a8523a" stroke-width="12" stroke-linecap="round"/>
  <path d="${frontNeck}" fill="none" stroke="#a9543a" stroke-width="20" stroke-linecap="round"/>
  <path d="${frontNeck}" fill="none" stroke="#8e432d" stroke-width="20" stroke-dasharray="1.5 3.5" opacity="0.6"/>
  ${stitch('M311,168 C333,252 467,252 489,168', '#8a3e28', 2, '6 4')}
  ${stitch('M327,186 C302,202 252,212 204,226', '#8a3e28', 2, '6 4')}
  ${stitch('M473,186 C498,202 548,212 596,226', '#8a3e28', 2, '6 4')}
  <path d="M198,214 C218,270 222,330 214,388" fill="none" stroke="#8a3e28" stroke-width="2.5" opacity="0.7"/>
  <path d="M602,214 C582,270 578,330 586,388" fill="none" stroke="#8a3e28" stroke-width="2.5" opacity="0.7"/>
  ${stitch('M91,366 C111,396 136,414 168,428', '#8a3e28')}
  ${stitch('M709,366 C689,396 664,414 632,428', '#8a3e28')}
  ${stitch('M209,840 Q400,862 591,840', '#8a3e28')}
  ${stitch('M209,848 Q400,870 591,848', '#8a3e28')}`;
  return {
    svg: svgDoc(body, defs),
    detail: svgDoc(body, defs, '250 130 300 375'),
  };
}

// ---------------------------------------------------------------- denim jacket

function denimJacket() {
  const outline =
    'M335,148 C300,165 250,180 188,200 C140,240 118,320 110,420 L88,770 Q130,792 180,786 ' +
    'L214,470 L226,836 Q400,850 574,836 L586,470 L620,786 Q670,792 712,770 L690,420 ' +
    'C682,320 660,240 612,200 C550,180 500,165 465,148 Z';
  const thread = '#d99a45';
  const defs = `
    <linearGradient id="denimBase" x1="0" y1="0" x2="0.3" y2="1">
      <stop offset="0" stop-color="#5878a8"/><stop offset="0.5" stop-color="#46679a"/><stop offset="1" stop-color="#35507d"/>
    </linearGradient>
    <pattern id="twill" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(30)">
      <rect width="8" height="8" fill="none"/><path d="M0,2 h8" stroke="#e8eefb" stroke-width="1.2" opacity="0.12"/>
      <path d="M0,6 h8" stroke="#1c2d4d" stroke-width="1.2" opacity="0.12"/>
    </pattern>
    <radialGradient id="fade" cx="0.5" cy="0.5" r="0.5">
      <stop offset="0" stop-color="#c5d5ee" stop-opacity="0.55"/><stop offset="1" stop-color="#c5d5ee" stop-opacity="0"/>
    </radialGradient>
    <radialGradient id="copper" cx="0.35" cy="0.35" r="0.7">
      <stop offset="0" stop-color="#f3cf98"/><stop offset="0.5" stop-color="#b9783c"/><stop offset="1" stop-color="#6e4220"/>
    </radialGradient>
    <clipPath id="jacketClip"><path d="${outline}"/></clipPath>`;
  const button = (x, y, r = 11) =>
    `<circle cx="${x}" cy="${y + 2}" r="${r}" fill="#1d2c47" opacity="0.35"/><circle cx="${x}" cy="${y}" r="${r}" fill="url(#copper)"/>` +
    `<circle cx="${x}" cy="${y}" r="${r - 4}" fill="none" stroke="#7a4a22" stroke-width="1.2" opacity="0.7"/>`;
  const pocket = (x, flip) => {
    const s = flip ? -1 : 1;
    const x0 = x;
    const x1 = x + s * 100;
    const flap = `M${x0},312 L${x1},312 L${x1},350 L${x0 + s * 50},366 L${x0},350 Z`;
    return `
      <path d="M${x0},310 L${x1},310 L${x1},420 L${x0 + s * 50},432 L${x0},420 Z" fill="#3e5c8c" opacity="0.35"/>
      ${stitch(`M${x0 + s * 6},352 L${x0 + s * 6},416 L${x0 + s * 50},427 L${x1 - s * 6},416 L${x1 - s * 6},352`, thread)}
      <path d="${flap}" fill="#4d6fa3" filter="url(#crisp)" opacity="0.6" transform="translate(0,5)"/>
      <path d="${flap}" fill="#5277ad"/>
      ${stitch(`M${x0 + s * 6},316 L${x1 - s * 6},316 L${x1 - s * 6},346 L${x0 + s * 50},360 L${x0 + s * 6},346 Z`, thread)}
      ${button(x0 + s * 50, 344, 9)}`;
  };
  const body = `
  <g filter="url(#drop)"><path d="${outline}" fill="url(#denimBase)"/></g>
  <g clip-path="url(#jacketClip)">
    <rect width="${W}" height="${H}" fill="url(#twill)"/>
    <ellipse cx="310" cy="560" rx="90" ry="170" fill="url(#fade)"/>
    <ellipse cx="492" cy="580" rx="80" ry="160" fill="url(#fade)"/>
    <ellipse cx="150" cy="560" rx="40" ry="160" fill="url(#fade)"/>
    <ellipse cx="652" cy="540" rx="36" ry="150" fill="url(#fade)"/>
    ${shade('M214,470 L226,836 L250,836 L240,470 Z', '#142341', 0.45)}
    ${shade('M586,470 L574,836 L550,836 L560,470 Z', '#142341', 0.45)}
    ${shade('M150,470 C160,540 160,600 146,680 L160,682 C176,600 174,540 164,470 Z', '#142341', 0.35)}
    ${shade('M640,500 C628,560 630,620 642,700 L656,698 C646,620 646,560 654,500 Z', '#142341', 0.35)}
    <path d="M190,246 C260,262 340,266 400,266 C460,266 540,262 610,246 L610,255 C540,272 460,276 400,276 C340,276 260,272 190,255 Z" fill="#2d4670" opacity="0.45"/>
    <rect x="200" y="770" width="400" height="70" fill="#3b5a8b"/>
    <path d="M200,770 H600" stroke="#23385e" stroke-width="3"/>
    <rect x="80" y="730" width="110" height="60" fill="#3b5a8b" transform="rotate(4 130 760)"/>
    <rect x="610" y="730" width="110" height="60" fill="#3b5a8b" transform="rotate(-4 670 760)"/>
  </g>
  ${stitch('M190,240 C260,256 340,260 400,260 C460,260 540,256 610,240', thread)}
  ${stitch('M190,250 C260,266 340,270 400,270 C460,270 540,266 610,250', thread)}
  ${stitch('M228,778 H572', thread)}
  ${stitch('M228,828 H572', thread)}
  ${stitch('M91,738 Q130,750 186,746', thread)}
  ${stitch('M709,738 Q670,750 614,746', thread)}
  ${stitch('M300,440 L300,770', thread)} ${stitch('M310,440 L310,770', thread)}
  ${stitch('M500,440 L500,770', thread)} ${stitch('M490,440 L490,770', thread)}
  ${stitch('M188,200 C205,260 212,340 214,470', thread)}
  ${stitch('M612,200 C595,260 588,340 586,470', thread)}
  ${pocket(258, false)}
  ${pocket(542, true)}
  <path d="M402,175 L402,840" stroke="#23385e" stroke-width="3"/>
  <path d="M398,176 L398,840" stroke="#6a8cc0" stroke-width="1.5" opacity="0.6"/>
  ${stitch('M386,200 L386,836', thread)}
  ${stitch('M418,200 L418,836', thread)}
  <path d="M335,148 C360,128 440,128 465,148 L440,190 L400,200 L360,190 Z" fill="#1f3358"/>
  <path d="M335,148 C360,126 440,126 465,148 L462,160 C440,142 360,142 338,160 Z" fill="#4a6c9f"/>
  ${stitch('M340,152 C362,134 438,134 460,152', thread, 1.8, '5 4')}
  <g filter="url(#drop)">
    <path d="M335,148 L292,176 L350,288 L400,206 Z" fill="#5073a8"/>
    <path d="M465,148 L508,176 L450,288 L400,206 Z" fill="#4b6ea3"/>
  </g>
  <path d="M335,148 L292,176 L350,288 L400,206 Z" fill="#5073a8"/>
  <path d="M465,148 L508,176 L450,288 L400,206 Z" fill="#4b6ea3"/>
  ${stitch('M333,160 L304,180 L350,272 L389,210', thread, 1.8, '5 4')}
  ${stitch('M467,160 L496,180 L450,272 L411,210', thread, 1.8, '5 4')}
  ${[300, 420, 540, 660, 800].map((y) => button(402, y)).join('')}
  ${button(130, 764, 8)} ${button(670, 764, 8)}`;
  return {
    svg: svgDoc(body, defs),
    detail: svgDoc(body, defs, '230 120 340 425'),
  };
}

// ---------------------------------------------------------------- trousers

function trousers() {
  const outline =
    'M236,112 L564,112 L566,168 C582,420 590,700 592,934 L432,940 C424,760 410,560 400,372 ' +
    'C390,560 376,760 368,940 L208,934 C210,700 218,420 234,168 Z';
  const thread = '#7a5634';
  const defs = `
    <linearGradient id="camel" x1="0" y1="0" x2="0.2" y2="1">
      <stop offset="0" stop-color="#c9a57a"/><stop offset="0.5" stop-color="#bb9466"/><stop offset="1" stop-color="#a57e53"/>
    </linearGradient>
    <pattern id="woolWeave" width="6" height="6" patternUnits="userSpaceOnUse">
      <rect width="6" height="6" fill="none"/><path d="M0,0 L6,6 M-1,5 L1,7 M5,-1 L7,1" stroke="#5b3f22" stroke-width="0.8" opacity="0.1"/>
    </pattern>
    <clipPath id="trouserClip"><path d="${outline}"/></clipPath>`;
  const loop = (x) =>
    `<rect x="${x - 7}" y="106" width="14" height="62" rx="3" fill="#b48c5e"/>` +
    stitch(`M${x - 3},110 V162`, thread, 1.2, '3 3') +
    stitch(`M${x + 3},110 V162`, thread, 1.2, '3 3');
  const body = `
  <g filter="url(#drop)"><path d="${outline}" fill="url(#camel)"/></g>
  <g clip-path="url(#trouserClip)">
    <rect width="${W}" height="${H}" fill="url(#woolWeave)"/>
    ${shade('M300,180 C306,400 300,700 296,940 L312,940 C318,700 322,400 318,180 Z', '#fff1dc', 0.45)}
    ${shade('M490,180 C494,400 500,700 504,940 L520,940 C516,700 512,400 508,180 Z', '#fff1dc', 0.4)}
    ${shade('M400,372 C392,560 384,760 380,940 L360,940 C370,760 380,560 392,372 Z', '#4f351c', 0.4)}
    ${shade('M400,372 C408,560 416,760 420,940 L440,940 C430,760 420,560 408,372 Z', '#4f351c', 0.35)}
    ${shade('M238,560 C250,600 262,640 268,700 L252,700 C246,640 238,600 230,560 Z', '#4f351c', 0.25)}
    ${shade('M556,600 C544,640 540,700 540,760 L556,760 C558,700 562,640 568,600 Z', '#4f351c', 0.25)}
    <rect x="200" y="104" width="400" height="64" fill="#c29c6f"/>
    <path d="M200,168 H600" stroke="#84613c" stroke-width="3"/>
  </g>
  ${stitch('M238,118 H562', thread, 1.6, '5 4')} ${stitch('M238,160 H562', thread, 1.6, '5 4')}
  ${stitch('M210,910 L368,916', thread)} ${stitch('M432,916 L590,910', thread)}
  <path d="M400,112 V372" stroke="#84613c" stroke-width="2.5"/>
  ${stitch('M420,170 L420,320 Q420,352 400,360', thread)}
  <path d="M262,170 C272,220 288,262 318,290" fill="none" stroke="#7a5634" stroke-width="3"/>
  <path d="M538,170 C528,220 512,262 482,290" fill="none" stroke="#7a5634" stroke-width="3"/>
  ${stitch('M270,170 C280,216 294,254 320,278', thread, 1.5, '4 4')}
  ${stitch('M530,170 C520,216 506,254 480,278', thread, 1.5, '4 4')}
  <path d="M332,170 C334,230 332,290 326,340" fill="none" stroke="#8a6641" stroke-width="2.5" opacity="0.8"/>
  <path d="M468,170 C466,230 468,290 474,340" fill="none" stroke="#8a6641" stroke-width="2.5" opacity="0.8"/>
  <path d="M306,172 C306,200 308,230 310,250" fill="none" stroke="#8a6641" stroke-width="2" opacity="0.6"/>
  <path d="M494,172 C494,200 492,230 490,250" fill="none" stroke="#8a6641" stroke-width="2" opacity="0.6"/>
  ${[262, 340, 460, 538].map(loop).join('')}
  <circle cx="410" cy="136" r="9" fill="#3b2a1a"/><circle cx="410" cy="136" r="5" fill="#5e4630"/>
  <circle cx="407" cy="133" r="1.5" fill="#c8b59c"/><circle cx="413" cy="139" r="1.5" fill="#c8b59c"/>`;
  return {
    svg: svgDoc(body, defs),
    detail: svgDoc(body, defs, '210 80 380 475'),
  };
}

// ---------------------------------------------------------------- summer dress

function dress() {
  const bodice =
    'M292,236 L508,236 L516,262 C500,330 488,380 486,432 L314,432 C312,380 300,330 284,262 Z';
  const skirt =
    'M314,428 L486,428 C540,560 600,760 640,930 Q612,952 584,936 Q556,958 526,940 Q496,962 466,944 ' +
    'Q436,964 404,946 Q372,964 342,944 Q312,962 282,940 Q252,958 222,936 Q194,952 160,930 C200,760 260,560 314,428 Z';
  const defs = `
    <linearGradient id="dressBase" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="#f4ecd9"/><stop offset="1" stop-color="#e9dcc2"/>
    </linearGradient>
    <pattern id="floral" width="64" height="64" patternUnits="userSpaceOnUse" patternTransform="rotate(12)">
      <g transform="translate(16 16)">
        ${[0, 72, 144, 216, 288].map((a) => `<ellipse rx="4.2" ry="7" cy="-7" fill="#4f78b3" transform="rotate(${a})"/>`).join('')}
        <circle r="3.2" fill="#e9b44c"/>
      </g>
      <g transform="translate(48 48) scale(0.8)">
        ${[36, 108, 180, 252, 324].map((a) => `<ellipse rx="4.2" ry="7" cy="-7" fill="#c96f5a" transform="rotate(${a})"/>`).join('')}
        <circle r="3.2" fill="#f4ecd9"/>
      </g>
      <path d="M44,18 q6,-6 12,0 q-6,6 -12,0 Z" fill="#6f9a6a"/>
      <path d="M14,46 q6,-6 12,0 q-6,6 -12,0 Z" fill="#6f9a6a"/>
    </pattern>
    <clipPath id="dressClip"><path d="${bodice}"/><path d="${skirt}"/></clipPath>`;
  const fold = (x0, x1, dark) =>
    shade(
      `M${x0},440 C${x0 + (x1 - x0) * 0.3},600 ${x1 - 8},800 ${x1},950 L${x1 + 26},950 C${x1 + 14},800 ${x0 + (x1 - x0) * 0.3 + 12},600 ${x0 + 8},440 Z`,
      dark ? '#5a4630' : '#ffffff',
      dark ? 0.32 : 0.45,
    );
  const body = `
  <path d="M334,236 L348,118 M466,236 L452,118" stroke="#e3d4b6" stroke-width="18" stroke-linecap="round"/>
  <path d="M334,236 L348,118 M466,236 L452,118" stroke="#4f78b3" stroke-width="14" stroke-linecap="round"/>
  <path d="M336,240 L341,204 L459,204 L464,240 Z" fill="url(#floral)"/>
  <path d="M336,240 L341,204 L459,204 L464,240 Z" fill="#5a4630" opacity="0.3"/>
  <path d="M341,204 L459,204" stroke="#e3d4b6" stroke-width="6"/>
  <g filter="url(#drop)"><path d="${skirt}" fill="url(#dressBase)"/><path d="${bodice}" fill="url(#dressBase)"/></g>
  <g clip-path="url(#dressClip)">
    <rect width="${W}" height="${H}" fill="url(#floral)"/>
    ${fold(330, 220, true)} ${fold(360, 300, false)} ${fold(380, 360, true)} ${fold(400, 430, false)}
    ${fold(420, 470, true)} ${fold(445, 540, false)} ${fold(470, 590, true)}
    ${shade('M292,236 L316,432 L330,432 L306,236 Z', '#5a4630', 0.3)}
    ${shade('M508,236 L484,432 L470,432 L494,236 Z', '#5a4630', 0.3)}
    ${shade('M360,270 C390,300 420,300 450,270 L450,330 C420,350 390,350 360,330 Z', '#ffffff', 0.35, 'softer')}
  </g>
  <path d="M292,236 L508,236" stroke="#e3d4b6" stroke-width="8"/>
  ${stitch('M294,244 L506,244', '#b9a684', 1.6, '5 4')}
  <path d="M312,426 L488,426 L488,446 L312,446 Z" fill="#4f78b3"/>
  ${stitch('M314,430 H486', '#dfe7f2', 1.4, '4 4')} ${stitch('M314,442 H486', '#dfe7f2', 1.4, '4 4')}
  ${Array.from({ length: 22 }, (_, i) => 318 + i * 8)
    .map(
      (x) =>
        `<path d="M${x},448 q2,14 -1,26" stroke="#8b7654" stroke-width="1.2" fill="none" opacity="0.45"/>`,
    )
    .join('')}
  <g filter="url(#drop)">
    <path d="M488,436 C520,420 548,418 556,440 C548,462 520,458 488,446 Z" fill="#456da8"/>
    <path d="M488,440 C470,470 470,540 478,580 L494,578 C492,540 494,480 500,446 Z" fill="#4f78b3"/>
    <path d="M494,440 C510,480 520,540 538,570 L552,562 C536,530 522,480 504,444 Z" fill="#456da8"/>
    <circle cx="493" cy="440" r="11" fill="#4f78b3"/>
  </g>
  ${stitch('M174,910 Q400,970 626,910', '#b9a684', 1.6, '5 4')}`;
  return {
    svg: svgDoc(body, defs),
    detail: svgDoc(body, defs, '250 170 300 375'),
  };
}

// ---------------------------------------------------------------- on-model photo

/** A stylised figure in a Breton top on a studio backdrop: the "model" garment photo type. */
function bretonModel() {
  const top =
    'M300,352 C330,336 364,330 400,332 C436,330 470,336 500,352 C544,366 572,392 580,440 ' +
    'L606,690 C600,704 574,708 560,700 L534,500 L540,742 Q400,760 260,742 L266,500 L240,700 ' +
    'C226,708 200,704 194,690 L220,440 C228,392 256,366 300,352 Z';
  const defs = `
    <radialGradient id="studio" cx="0.5" cy="0.35" r="0.8">
      <stop offset="0" stop-color="#f1ebe2"/><stop offset="0.7" stop-color="#e2d8ca"/><stop offset="1" stop-color="#cfc3b2"/>
    </radialGradient>
    <linearGradient id="skin" x1="0" y1="0" x2="1" y2="1">
      <stop offset="0" stop-color="#e7b894"/><stop offset="1" stop-color="#c98f6b"/>
    </linearGradient>
    <linearGradient id="hair" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="#4a2f22"/><stop offset="1" stop-color="#2c1a12"/>
    </linearGradient>
    <pattern id="stripes" width="40" height="34" patternUnits="userSpaceOnUse">
      <rect width="40" height="34" fill="#f7f4ee"/><rect y="20" width="40" height="14" fill="#1f2f57"/>
    </pattern>
    <linearGradient id="topShade" x1="0" y1="0" x2="1" y2="0">
      <stop offset="0" stop-color="#000" stop-opacity="0.28"/><stop offset="0.3" stop-color="#000" stop-opacity="0"/>
      <stop offset="0.7" stop-color="#000" stop-opacity="0"/><stop offset="1" stop-color="#000" stop-opacity="0.32"/>
    </linearGradient>
    <clipPath id="topClip"><path d="${top}"/></clipPath>`;
  const body = `
  <rect width="${W}" height="${H}" fill="url(#studio)"/>
  <ellipse cx="400" cy="990" rx="300" ry="40" fill="#b9ab97" opacity="0.5" filter="url(#softer)"/>
  <path d="M266,730 L534,730 L548,1000 L252,1000 Z" fill="#2a2a30"/>
  <path d="M400,750 L402,1000" stroke="#17171b" stroke-width="3"/>
  ${shade('M300,760 L330,1000 L300,1000 Z', '#000', 0.35)}
  <path d="M308,240 C300,140 350,100 404,102 C470,104 512,150 500,250 C498,300 500,320 512,346 L292,346 C304,320 306,300 308,240 Z" fill="url(#hair)"/>
  <path d="M372,280 L428,280 L432,350 C420,362 380,362 368,350 Z" fill="#c98f6b"/>
  <ellipse cx="400" cy="214" rx="68" ry="86" fill="url(#skin)"/>
  <path d="M332,200 C336,130 380,116 412,120 C460,124 476,170 470,196 C446,170 400,150 346,188 Z" fill="url(#hair)"/>
  <path d="M366,206 q12,-8 24,0 M410,206 q12,-8 24,0" stroke="#3a2418" stroke-width="3.5" fill="none" stroke-linecap="round"/>
  <path d="M368,222 q10,6 20,0 M412,222 q10,6 20,0" stroke="#2d1b12" stroke-width="3" fill="none" stroke-linecap="round"/>
  <path d="M402,228 q-6,22 -2,30 q6,3 10,0" stroke="#b07656" stroke-width="2.5" fill="none" stroke-linecap="round"/>
  <path d="M382,270 q18,12 36,0 q-18,4 -36,0 Z" fill="#b8574c"/>
  <ellipse cx="364" cy="248" rx="14" ry="8" fill="#e48f7a" opacity="0.35"/>
  <ellipse cx="438" cy="248" rx="14" ry="8" fill="#e48f7a" opacity="0.35"/>
  <path d="M200,690 C196,716 206,742 226,744 C242,740 244,716 240,700 Z" fill="url(#skin)"/>
  <path d="M600,690 C604,716 594,742 574,744 C558,740 556,716 560,700 Z" fill="url(#skin)"/>
  <g clip-path="url(#topClip)">
    <rect width="${W}" height="${H}" fill="url(#stripes)"/>
    <rect width="${W}" height="${H}" fill="url(#topShade)"/>
    ${shade('M266,500 L280,742 L300,742 L284,500 Z', '#000', 0.3)}
    ${shade('M534,500 L520,742 L500,742 L516,500 Z', '#000', 0.3)}
    ${shade('M360,420 C380,460 420,460 440,420 L440,520 C420,540 380,540 360,520 Z', '#fff', 0.3, 'softer')}
    ${shade('M240,440 C260,500 260,560 250,700 L230,700 Z', '#000', 0.25)}
    ${shade('M560,440 C540,500 540,560 550,700 L570,700 Z', '#000', 0.25)}
  </g>
  <path d="M356,340 C370,366 430,366 444,340" fill="none" stroke="#f7f4ee" stroke-width="10" stroke-linecap="round"/>
  <path d="M356,340 C370,366 430,366 444,340" fill="none" stroke="#1f2f57" stroke-width="2" opacity="0.5"/>`;
  return { svg: svgDoc(body, defs), detail: svgDoc(body, defs, '240 300 320 400') };
}

// ---------------------------------------------------------------- sample selfie

/** A friendly illustrated head-and-shoulders portrait (no real person). */
function selfie() {
  const defs = `
    <linearGradient id="wall" x1="0" y1="0" x2="1" y2="1">
      <stop offset="0" stop-color="#dfe9e4"/><stop offset="1" stop-color="#b9cfc6"/>
    </linearGradient>
    <radialGradient id="faceSkin" cx="0.45" cy="0.4" r="0.7">
      <stop offset="0" stop-color="#f1c7a5"/><stop offset="1" stop-color="#d59c78"/>
    </radialGradient>
    <linearGradient id="curls" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="#7a4a2c"/><stop offset="1" stop-color="#4c2b18"/>
    </linearGradient>
    <linearGradient id="sweater" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="#e0a94f"/><stop offset="1" stop-color="#c58a34"/>
    </linearGradient>`;
  const curls = [
    [300, 250, 70],
    [360, 200, 72],
    [430, 190, 72],
    [500, 230, 70],
    [530, 300, 60],
    [270, 320, 58],
    [262, 400, 52],
    [540, 380, 54],
    [400, 180, 60],
  ]
    .map(([x, y, r]) => `<circle cx="${x}" cy="${y}" r="${r}" fill="url(#curls)"/>`)
    .join('');
  const body = `
  <rect width="${W}" height="${H}" fill="url(#wall)"/>
  <rect x="560" y="80" width="180" height="240" rx="8" fill="#f5f1e8" opacity="0.65"/>
  <rect x="580" y="100" width="140" height="200" rx="4" fill="#c8d9cf" opacity="0.8"/>
  <circle cx="650" cy="170" r="36" fill="#efc47a" opacity="0.8"/>
  <path d="M120,1000 C130,770 230,690 400,686 C570,690 670,770 680,1000 Z" fill="url(#sweater)"/>
  ${Array.from({ length: 9 }, (_, i) => 180 + i * 55)
    .map(
      (x) =>
        `<path d="M${x},780 q8,110 0,220" stroke="#b27a2c" stroke-width="4" fill="none" opacity="0.45"/>`,
    )
    .join('')}
  <path d="M352,560 L448,560 L460,702 C430,740 370,740 340,702 Z" fill="#d59c78"/>
  <path d="M352,560 L448,560 L450,620 C420,650 380,650 350,620 Z" fill="#b97c5a" opacity="0.55"/>
  <path d="M330,690 C360,750 440,750 470,690 L480,710 C440,780 360,780 320,710 Z" fill="#c8913c"/>
  ${curls}
  <ellipse cx="400" cy="450" rx="128" ry="160" fill="url(#faceSkin)"/>
  <ellipse cx="272" cy="470" rx="22" ry="36" fill="#d59c78"/>
  <ellipse cx="528" cy="470" rx="22" ry="36" fill="#d59c78"/>
  <path d="M290,340 C320,270 480,260 520,350 C470,320 380,300 290,340 Z" fill="url(#curls)"/>
  <path d="M336,402 q22,-14 46,-2 M418,400 q24,-12 46,2" stroke="#4c2b18" stroke-width="7" fill="none" stroke-linecap="round"/>
  <ellipse cx="358" cy="440" rx="13" ry="15" fill="#fff"/><ellipse cx="442" cy="440" rx="13" ry="15" fill="#fff"/>
  <circle cx="360" cy="442" r="9" fill="#3d2a1e"/><circle cx="444" cy="442" r="9" fill="#3d2a1e"/>
  <circle cx="363" cy="438" r="3" fill="#fff"/><circle cx="447" cy="438" r="3" fill="#fff"/>
  <path d="M402,450 q-12,46 -4,58 q10,6 20,-2" stroke="#b97c5a" stroke-width="4" fill="none" stroke-linecap="round"/>
  <path d="M350,540 q50,42 100,0 q-50,16 -100,0 Z" fill="#fff" stroke="#a9473f" stroke-width="6" stroke-linejoin="round"/>
  <ellipse cx="330" cy="510" rx="26" ry="14" fill="#ec8f7c" opacity="0.35"/>
  <ellipse cx="470" cy="510" rx="26" ry="14" fill="#ec8f7c" opacity="0.35"/>
  <circle cx="270" cy="512" r="7" fill="#e9c46a"/><circle cx="530" cy="512" r="7" fill="#e9c46a"/>`;
  return svgDoc(body, defs);
}

// ---------------------------------------------------------------- render

const GARMENTS = { tee, 'denim-jacket': denimJacket, trousers, dress, 'breton-model': bretonModel };

/**
 * Median-cut quantisation to a 256-colour RGBA palette: an indexed PNG of a
 * drawing is a third of the size of Chromium's truecolour one, with no visible loss.
 */
function quantize(straight, colors = 256) {
  // Work premultiplied: a nearly transparent shadow pixel's colour barely matters,
  // and Chromium's unpremultiplied values there are noise that would waste palette slots.
  const rgba = new Uint8Array(straight.length);
  for (let i = 0; i < straight.length; i += 4) {
    const a = straight[i + 3];
    for (let c = 0; c < 3; c++) rgba[i + c] = Math.round((straight[i + c] * a) / 255);
    rgba[i + 3] = a;
  }
  const key = (i) =>
    ((rgba[i] >> 3) << 15) |
    ((rgba[i + 1] >> 3) << 10) |
    ((rgba[i + 2] >> 3) << 5) |
    (rgba[i + 3] >> 3);
  const counts = new Map();
  for (let i = 0; i < rgba.length; i += 4) {
    if (rgba[i + 3] === 0) continue;
    const k = key(i);
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  const channel = (k, c) => (((k >> (15 - c * 5)) & 31) << 3) | 4;
  let boxes = [[...counts.keys()]];
  // Always split the box holding the most pixels × widest range, along its widest channel.
  while (boxes.length < colors - 1) {
    let best = -1;
    let bestScore = 0;
    let bestChannel = 0;
    boxes.forEach((box, index) => {
      if (box.length < 2) return;
      let pixels = 0;
      const lo = [255, 255, 255, 255];
      const hi = [0, 0, 0, 0];
      for (const k of box) {
        pixels += counts.get(k);
        for (let c = 0; c < 4; c++) {
          const v = channel(k, c);
          if (v < lo[c]) lo[c] = v;
          if (v > hi[c]) hi[c] = v;
        }
      }
      // Alpha counts triple: soft shadows must stay smooth on any page colour.
      const ranges = hi.map((h, c) => (h - lo[c]) * (c === 3 ? 3 : 1));
      const widest = ranges.indexOf(Math.max(...ranges));
      const score = ranges[widest] * Math.sqrt(pixels);
      if (score > bestScore) [best, bestScore, bestChannel] = [index, score, widest];
    });
    if (best < 0) break;
    const box = boxes[best].sort((a, b) => channel(a, bestChannel) - channel(b, bestChannel));
    let half = 0;
    const total = box.reduce((sum, k) => sum + counts.get(k), 0);
    let cut = 0;
    while (cut < box.length - 1 && half + counts.get(box[cut]) <= total / 2)
      half += counts.get(box[cut++]);
    cut = Math.max(1, cut);
    boxes = [...boxes.slice(0, best), box.slice(0, cut), box.slice(cut), ...boxes.slice(best + 1)];
  }
  // Index 0 is fully transparent; the others are pixel-weighted box means.
  const palette = [[0, 0, 0, 0]];
  const sums = boxes.map(() => [0, 0, 0, 0, 0]);
  const boxOf = new Map();
  boxes.forEach((box, b) => box.forEach((k) => boxOf.set(k, b)));
  for (let i = 0; i < rgba.length; i += 4) {
    if (rgba[i + 3] === 0) continue;
    const sum = sums[boxOf.get(key(i))];
    for (let c = 0; c < 4; c++) sum[c] += rgba[i + c];
    sum[4]++;
  }
  for (const sum of sums) {
    const [r, g, b, a] = sum.slice(0, 4).map((v) => v / Math.max(1, sum[4]));
    const unpremultiply = (v) => (a > 0 ? Math.min(255, Math.round((v * 255) / a)) : 0);
    palette.push([unpremultiply(r), unpremultiply(g), unpremultiply(b), Math.round(a)]);
  }
  const indices = new Uint8Array(rgba.length / 4);
  for (let i = 0, p = 0; i < rgba.length; i += 4, p++) {
    indices[p] = rgba[i + 3] === 0 ? 0 : boxOf.get(key(i)) + 1;
  }
  return { palette, indices };
}

async function render(page, svg, file, { width, height, opaque = false, type = 'png' }) {
  await page.setViewportSize({ width, height });
  await page.setContent(
    `<!doctype html><html><head><style>html,body{margin:0;background:transparent;overflow:hidden}svg{display:block;width:100vw;height:100vh}</style></head><body>${svg}</body></html>`,
  );
  const shot = await page.screenshot({
    type,
    omitBackground: !opaque,
    ...(type === 'jpeg' ? { quality: 86 } : {}),
  });
  if (type === 'png') {
    const decoded = decode(shot);
    const rgba = decoded.channels === 4 ? decoded.data : addAlpha(decoded.data);
    const { palette, indices } = quantize(rgba);
    await writeFile(
      file,
      encode(
        { width, height, data: indices, depth: 8, channels: 1, palette },
        { zlib: { level: 9 } },
      ),
    );
  } else {
    await writeFile(file, shot);
  }
  const { size } = await stat(file);
  console.log(`${path.relative(root, file)}  ${width}×${height}  ${Math.round(size / 1024)} KB`);
}

function addAlpha(rgb) {
  const rgba = new Uint8Array((rgb.length / 3) * 4);
  for (let i = 0, j = 0; i < rgb.length; i += 3, j += 4) {
    rgba.set(rgb.subarray(i, i + 3), j);
    rgba[j + 3] = 255;
  }
  return rgba;
}

async function main() {
  await mkdir(garmentsDir, { recursive: true });
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox'],
  });
  try {
    const page = await browser.newPage({ deviceScaleFactor: 1 });
    for (const [id, draw] of Object.entries(GARMENTS)) {
      const { svg, detail } = draw();
      const opaque = id === 'breton-model';
      const out = (suffix) => path.join(garmentsDir, `${id}${suffix}.png`);
      await render(page, svg, out(''), { width: W, height: H, opaque });
      await render(page, detail, out('-detail'), { width: 640, height: 800, opaque });
      await render(page, svg, out('-thumb'), { width: 160, height: 200, opaque });
      await render(page, detail, out('-detail-thumb'), { width: 160, height: 200, opaque });
    }
    await render(page, selfie(), path.join(root, 'demo/public/sample-selfie.jpg'), {
      width: W,
      height: H,
      opaque: true,
      type: 'jpeg',
    });
  } finally {
    await browser.close();
  }
}

await main();
