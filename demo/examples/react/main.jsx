// <fashn-try-on> in a React 19 app: attributes as props, events as `on<event-name>`
// props (React 19 adds them as listeners), and React state that follows the element.
import { StrictMode, useRef, useState } from 'react';
import { createRoot } from 'react-dom/client';
// Registers <fashn-try-on>; in TypeScript it also types the element's props in JSX.
import 'fashn-try-on/react';
import teeUrl from '../../public/garments/tee.png';

// garment-image must be an absolute http(s) or data: URL, since FASHN downloads it.
const garmentImage = new URL(teeUrl, location.href).href;

function Product() {
  const tryOn = useRef(null);
  const [state, setState] = useState('idle');
  const [looks, setLooks] = useState([]);
  return (
    <main>
      <h1>Organic Cotton Boxy Tee</h1>
      <img src={teeUrl} alt="The tee, laid flat" width="240" />
      <fashn-try-on
        ref={tryOn}
        garment-image={garmentImage}
        proxy-url="/api/fashn"
        onfashn-state-change={(event) => setState(event.detail.state)}
        onfashn-result={(event) => setLooks(event.detail.images)}
      />
      <p>
        State: <output data-testid="state">{state}</output>
      </p>
      {looks.length > 0 && (
        <p>
          <span data-testid="looks">{looks.length} look(s) ready</span>{' '}
          <button type="button" onClick={() => tryOn.current.open()}>
            Show again
          </button>
        </p>
      )}
    </main>
  );
}

createRoot(document.getElementById('root')).render(
  <StrictMode>
    <Product />
  </StrictMode>,
);
