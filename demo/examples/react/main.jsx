// <fashn-try-on> in a React 19 app: attributes as props, events as `on<event-name>`
// props (React 19 adds them as listeners), and React state that follows the element.
import { StrictMode, useRef, useState } from 'react';
import { createRoot } from 'react-dom/client';
// Registers <fashn-try-on>; in TypeScript it also types the element's props in JSX.
import 'fashn-try-on/react';
import teeUrl from '../../public/garments/tee.png';
import '../shop.css';

function Product() {
  const tryOn = useRef(null);
  const [state, setState] = useState('idle');
  const [looks, setLooks] = useState([]);
  return (
    <>
      <p className="announcement">Complimentary delivery over €150</p>
      <header className="site-header">
        <a className="logo" href="../" aria-label="Atelier Nord, all examples">
          <span className="logo-mark" aria-hidden="true">
            AN
          </span>
          <span className="logo-word">Atelier Nord</span>
        </a>
        <span className="example-tag">React 19 example</span>
      </header>
      <main className="product">
        <figure className="product-media">
          <img src={teeUrl} alt="The tee, laid flat" width="800" height="1000" />
        </figure>
        <section aria-labelledby="product-name">
          <p className="eyebrow">Essentials</p>
          <h1 id="product-name">Organic Cotton Boxy Tee</h1>
          <p className="price">€45</p>
          <p className="description">
            Heavyweight organic cotton in a relaxed, boxy cut, with a ribbed crew neck.
          </p>
          <div className="try-on-area">
            <p className="try-on-intro">
              <span className="try-on-badge">New</span>
              See it on you: one selfie, then every piece in the shop.
            </p>
            {/* A relative garment URL is resolved against the page; the real FASHN must
                be able to download it (a public URL, not localhost). */}
            <fashn-try-on
              ref={tryOn}
              garment-image={teeUrl}
              proxy-url="/api/fashn"
              onfashn-state-change={(event) => setState(event.detail.state)}
              onfashn-result={(event) => setLooks(event.detail.images)}
            />
          </div>
          <p className="page-status">
            State: <output data-testid="state">{state}</output>
            {looks.length > 0 && (
              <>
                <span data-testid="looks">{looks.length} look(s) ready</span>
                <button type="button" onClick={() => tryOn.current.open()}>
                  Show again
                </button>
              </>
            )}
          </p>
        </section>
      </main>
    </>
  );
}

createRoot(document.getElementById('root')).render(
  <StrictMode>
    <Product />
  </StrictMode>,
);
