// <fashn-try-on> in a Vue 3 app: Vue is told it is a custom element, binds its
// attributes, and listens to its events with `@fashn-…`.
import { createApp, ref } from 'vue';
// Registers <fashn-try-on>.
import 'fashn-try-on';
import teeUrl from '../../public/garments/tee.png';

const app = createApp({
  setup() {
    const state = ref('idle');
    const looks = ref([]);
    return {
      teeUrl,
      // garment-image must be an absolute http(s) or data: URL, since FASHN downloads it.
      garmentImage: new URL(teeUrl, location.href).href,
      state,
      looks,
      onStateChange: (event) => (state.value = event.detail.state),
      onResult: (event) => (looks.value = event.detail.images),
    };
  },
  template: `
    <main>
      <h1>Organic Cotton Boxy Tee</h1>
      <img :src="teeUrl" alt="The tee, laid flat" width="240" />
      <fashn-try-on
        :garment-image="garmentImage"
        proxy-url="/api/fashn"
        @fashn-state-change="onStateChange"
        @fashn-result="onResult"
      ></fashn-try-on>
      <p>State: <output data-testid="state">{{ state }}</output></p>
      <p v-if="looks.length" data-testid="looks">{{ looks.length }} look(s) ready</p>
    </main>
  `,
});
// Without this, Vue would look for a Vue component named fashn-try-on.
app.config.compilerOptions.isCustomElement = (tag) => tag === 'fashn-try-on';
app.mount('#app');
