import { Module } from '@nestjs/common';
import { APP_CONFIG, Clock, type AppConfig } from '@app/config';
import { AuthGuard } from './auth.guard';
import { TokenVerifier } from './token-verifier';

@Module({
  providers: [
    {
      provide: TokenVerifier,
      inject: [APP_CONFIG, Clock],
      // Expiry is judged on the service's clock, the one tokens are issued on (signLocalToken's now).
      useFactory: (config: AppConfig, clock: Clock) => new TokenVerifier(config.auth, () => clock.now().getTime()),
    },
    AuthGuard,
  ],
  exports: [TokenVerifier, AuthGuard],
})
export class AuthModule {}
