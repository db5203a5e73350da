(000) ldh      [12]
(001) jeq      #0x8847          jt 2	jf 12
(002) ld       [14]
(003) and      #0xfffff000
(004) jeq      #0x5000          jt 5	jf 12
(005) ldb      [16]
(006) and      #0x1
(007) jeq      #0x1             jt 8	jf 12
(008) ldb      [18]
(009) and      #0xf0
(010) jeq      #0x40            jt 11	jf 12
(011) ret      #262144
(012) ret      #0
