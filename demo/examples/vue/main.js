// <fashn-try-on> in a Vue 3 app: Vue is told it is a custom element, binds its
// attributes, and listens to its events with `@fashn-…`.
import { createApp, ref } from 'vue';
// Registers <fashn-try-on>.
import 'fashn-try-on';
import teeUrl from '../../public/garments/tee.png';
import '../shop.css';

const app = createApp({
  setup() {
    const state = ref('idle');
    const looks = ref([]);
    return {
      // A relative garment URL is resolved against the page; the real FASHN must be
      // able to download it (a public URL, not localhost).
      teeUrl,
      state,
      looks,
      onStateChange: (event) => (state.value = event.detail.state),
      onResult: (event) => (looks.value = event.detail.images),
    };
  },
  template: `
    <p class="announcement">Complimentary delivery over €150</p>
    <header class="site-header">
      <a class="logo" href="../" aria-label="Atelier Nord, all examples">
        <span class="logo-mark" aria-hidden="true">AN</span>
        <span class="logo-word">Atelier Nord</span>
      </a>
      <span class="example-tag">Vue 3 example</span>
    </header>
    <main class="product">
      <figure class="product-media">
        <img :src="teeUrl" alt="The tee, laid flat" width="800" height="1000" />
      </figure>
      <section aria-labelledby="product-name">
        <p class="eyebrow">Essentials</p>
        <h1 id="product-name">Organic Cotton Boxy Tee</h1>
        <p class="price">€45</p>
        <p class="description">
          Heavyweight organic cotton in a relaxed, boxy cut, with a ribbed crew neck.
        </p>
        <div class="try-on-area">
          <p class="try-on-intro">
            <span class="try-on-badge">New</span>
            See it on you: one selfie, then every piece in the shop.
          </p>
          <fashn-try-on
            :garment-image="teeUrl"
            proxy-url="/api/fashn"
            @fashn-state-change="onStateChange"
            @fashn-result="onResult"
          ></fashn-try-on>
        </div>
        <p class="page-status">
          State: <output data-testid="state">{{ state }}</output>
          <span v-if="looks.length" data-testid="looks">{{ looks.length }} look(s) ready</span>
        </p>
      </section>
    </main>
  `,
});
// Without this, Vue would look for a Vue component named fashn-try-on.
app.config.compilerOptions.isCustomElement = (tag) => tag === 'fashn-try-on';
app.mount('#app');
